/**
 * A workspace's connections, for the tools of the workspace: OAuth ones (a member authorizes Beacon
 * at Google, Slack or GitHub; the tokens are stored encrypted and refreshed before they expire) and
 * credential ones (a member pastes a Binance API key and secret, a Telegram bot token or a Brave
 * Search key, which the provider is asked about before it is stored encrypted).
 */
package dev.beacon.integrations.connection;
