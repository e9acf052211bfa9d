/**
 * External agent rules: field validation, conflicts with other agent ids, archiving, the directory.
 */
package dev.beacon.chat.external.domain;
