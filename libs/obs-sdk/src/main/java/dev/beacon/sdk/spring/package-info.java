/**
 * Spring support for the Beacon SDK: the {@link dev.beacon.sdk.TrackServiceCall} interceptor and
 * the auto-configuration that installs it when a {@link dev.beacon.sdk.BeaconClient} bean exists.
 */
package dev.beacon.sdk.spring;
