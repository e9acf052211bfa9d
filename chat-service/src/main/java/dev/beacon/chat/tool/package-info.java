/**
 * The tools an agent may call: integrations-service's tool registry over its documented HTTP API,
 * and, under the local profile with the demo provider, two demo tools. Each tool has a name, a
 * description, JSON Schema parameters and a read or write kind; a tool runs with a bound on its
 * time and its failures become results the model reads, never exceptions.
 */
package dev.beacon.chat.tool;
