/** Tools, their specs and results, the registry, and the check of arguments against a schema. */
package dev.beacon.integrations.tool.domain;
