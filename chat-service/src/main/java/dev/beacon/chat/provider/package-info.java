/**
 * LLM providers: the registry of the twelve providers, a workspace's settings of each (API key
 * encrypted with Tink, base URL, default model), their model lists and "test connection".
 */
package dev.beacon.chat.provider;
