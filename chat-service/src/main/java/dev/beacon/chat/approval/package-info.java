/**
 * The approval queue: a write tool call that waits for a person. {@code store} keeps the requests,
 * {@code domain} moves them through pending → approved | rejected | expired → executed | failed
 * (each state an {@code action} event), {@code web} serves the queue and the decisions.
 */
package dev.beacon.chat.approval;
