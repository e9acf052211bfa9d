/**
 * External agents: agents that run outside Beacon and send their own events through obs-ingest,
 * registered by name against the {@code agent_id} of those events and, optionally, the ingest API
 * key they send with. Also the agent directory, every agent id of a workspace with its name, which
 * the observability pages use to show names instead of raw ids. Archived, never deleted.
 */
package dev.beacon.chat.external;
