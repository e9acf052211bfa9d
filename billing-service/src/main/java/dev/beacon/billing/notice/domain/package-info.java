/** The notices, their deterministic ids and texts, recording and publishing them. */
package dev.beacon.billing.notice.domain;
