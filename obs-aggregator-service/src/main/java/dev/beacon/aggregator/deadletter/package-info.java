/**
 * Dead letters: listing the records the pipeline set aside ({@code <topic>.dlt}) and replaying
 * chosen ones to their original topic, for platform admins (owners and admins of the ops
 * workspace).
 */
package dev.beacon.aggregator.deadletter;
