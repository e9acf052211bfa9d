/** The Beacon Java SDK: emit observability events without ever hurting the caller. */
package dev.beacon.sdk;
