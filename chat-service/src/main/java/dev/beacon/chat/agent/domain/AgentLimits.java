package dev.beacon.chat.agent.domain;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** The documented bounds of an agent's fields (docs/chat.md), checked before anything is stored. */
public final class AgentLimits {

  /** Name length in characters (Unicode code points), after trimming. */
  public static final int MAX_NAME = 100;

  public static final int MAX_DESCRIPTION = 2000;
  public static final int MAX_SYSTEM_PROMPT = 50_000;
  public static final int MAX_MODEL = 200;
  public static final BigDecimal MAX_TEMPERATURE = new BigDecimal("2");
  public static final int MAX_TOKENS = 1_000_000;
  public static final int MAX_TOOLS = 64;

  /** A tool name as the tool registry spells it: letters, digits, {@code _ . -}, 1–64. */
  public static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

  private AgentLimits() {}
}
