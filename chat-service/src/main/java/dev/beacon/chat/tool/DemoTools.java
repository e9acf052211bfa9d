package dev.beacon.chat.tool;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two tools that exist only beside the demo provider, under the local profile, so that a newcomer
 * without any account sees the whole loop: a read tool that runs at once and a write tool that
 * waits for approval. Neither reaches anything outside this process.
 */
final class DemoTools {

  static final String LOOKUP_ORDER = "demo_lookup_order";
  static final String SEND_EMAIL = "demo_send_email";

  private static final JsonMapper JSON = JsonMapper.shared();

  static final List<ToolSpec> SPECS =
      List.of(
          new ToolSpec(
              LOOKUP_ORDER,
              "Demo tool (local stand-in, no real shop): looks up the status of an order by id.",
              """
              {"type":"object","properties":{"order_id":{"type":"string","description":"The order id, e.g. A-1001"}},"required":["order_id"]}""",
              ToolKind.READ,
              "demo",
              false),
          new ToolSpec(
              SEND_EMAIL,
              "Demo tool (local stand-in, nothing is sent): sends an email.",
              """
              {"type":"object","properties":{"to":{"type":"string"},"subject":{"type":"string"},"body":{"type":"string"}},"required":["to","subject","body"]}""",
              ToolKind.WRITE,
              "demo",
              false));

  private DemoTools() {}

  static Optional<ToolSpec> spec(String name) {
    return SPECS.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static ToolOutcome execute(String name, JsonNode arguments) {
    return switch (name) {
      case LOOKUP_ORDER -> lookupOrder(arguments);
      case SEND_EMAIL -> sendEmail(arguments);
      default -> ToolOutcome.failed("unknown_tool", "There is no demo tool " + name + ".");
    };
  }

  private static ToolOutcome lookupOrder(JsonNode arguments) {
    String orderId = text(arguments, "order_id");
    if (orderId.isBlank()) {
      return ToolOutcome.failed("invalid_arguments", "order_id is required.");
    }
    ObjectNode order = JSON.createObjectNode();
    order.put("order_id", orderId);
    order.put("status", Math.floorMod(orderId.hashCode(), 2) == 0 ? "shipped" : "packing");
    order.put("carrier", "Demo Post");
    order.put("demo", true);
    return ToolOutcome.ok(order.toString());
  }

  private static ToolOutcome sendEmail(JsonNode arguments) {
    String to = text(arguments, "to");
    if (to.isBlank()) {
      return ToolOutcome.failed("invalid_arguments", "to is required.");
    }
    return ToolOutcome.ok(
        "Email to " + to + " accepted by the demo outbox (demo: nothing left this machine).");
  }

  private static String text(JsonNode arguments, String field) {
    JsonNode value = arguments == null ? null : arguments.get(field);
    return value == null || !value.isString() ? "" : value.asString().strip();
  }
}
