/**
 * The alert latency benchmark: ingest acknowledgement of a breaching event to the Slack webhook
 * receiving the alert, with 1,000 active rules across 100 workspaces under steady ingest load.
 */
package dev.beacon.loadgen.alert;
