/**
 * Chat models built per workspace at run time: from an agent and its workspace's provider settings
 * to the Spring AI model of the provider's family. The conversation loop builds on it.
 */
package dev.beacon.chat.llm;
