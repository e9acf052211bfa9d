/**
 * Workspace agents: name, description, system prompt, provider and model, sampling settings, the
 * tools each may use and whether a tool's calls need approval. Agents are archived, never deleted.
 */
package dev.beacon.chat.agent;
