/**
 * The Beacon Java SDK: emit observability events without ever hurting the caller.
 *
 * <p>Start with {@link dev.beacon.sdk.BeaconClient#builder()} and a {@link
 * dev.beacon.sdk.Transport}; record LLM calls with {@link
 * dev.beacon.sdk.BeaconClient#trackLlmCall}, runs with {@link
 * dev.beacon.sdk.BeaconClient#startRun()}, and annotate Spring bean methods with {@link
 * dev.beacon.sdk.TrackServiceCall}. Events are buffered in bounded memory and sent from the SDK's
 * own thread; see {@link dev.beacon.sdk.DeliveryStats} for what is counted.
 */
package dev.beacon.sdk;
