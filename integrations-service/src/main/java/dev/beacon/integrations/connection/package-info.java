/**
 * OAuth connections: a workspace member authorizes Beacon at Google, Slack or GitHub; the tokens
 * are stored encrypted and refreshed before they expire, for the tools of the workspace.
 */
package dev.beacon.integrations.connection;
