/** The tool list the agent editor offers. */
package dev.beacon.chat.tool.web;
