/**
 * Dead letters: listing the records the pipeline set aside ({@code <topic>.dlt}) and replaying
 * chosen ones to their original topic, for platform admins.
 */
package dev.beacon.aggregator.deadletter;
