package dev.beacon.alert.rule;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/** The latest evaluated value per group of a rule, as the evaluator last computed it. */
public interface LiveValues {

  /** Group key to value; empty before the rule was evaluated. */
  Map<String, BigDecimal> values(UUID ruleId);
}
