package dev.beacon.chat.conversation.domain;

/**
 * One Server-Sent Event of a turn: its {@code event:} name and its {@code data:} object ({@code
 * docs/chat.md#stream-events}).
 *
 * @param name {@code run}, {@code delta}, {@code message}, {@code tool_call}, {@code tool_result},
 *     {@code approval}, {@code error} or {@code done}
 * @param data the JSON object
 */
public record TurnEvent(String name, Object data) {}
