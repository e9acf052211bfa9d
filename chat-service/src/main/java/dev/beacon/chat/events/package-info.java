/**
 * chat-service's own events on Kafka, published with the Java SDK's Kafka transport exactly as an
 * outside agent's would be: {@code run_start} / {@code run_end} per turn, {@code llm_call} per
 * model call, {@code tool_call} per tool execution and {@code action} per approval state. Emitting
 * returns at once and never fails; the SDK buffers while Kafka is slow or down.
 */
package dev.beacon.chat.events;
