package dev.beacon.aggregator.metrics.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

/** Which table of a step answers a query (ADR 0010, 0011). */
class MetricFiltersTests {

  @Test
  void readsTheSmallestTableThatHasEveryDimensionTheQueryNeeds() {
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put("", "_agent");
    tables.put("group_by=type", "_agent");
    tables.put("group_by=agent", "_agent");
    tables.put("type=tool_call&group_by=agent", "_agent");
    tables.put("agent=support-bot", "_agent");
    tables.put("group_by=model", "_subject");
    tables.put("group_by=provider", "_subject");
    tables.put("group_by=tool", "_subject");
    tables.put("provider=openai&group_by=type", "_subject");
    tables.put("model=gpt-4o", "_subject");
    tables.put("tool=search", "_subject");
    tables.put("service=github", "_subject");
    tables.put("group_by=service", "_subject");
    tables.put("service=github&group_by=agent", "");
    tables.put("agent=support-bot&group_by=model", "");
    tables.put("tool=search&group_by=agent", "");
    tables.put("agent=support-bot&provider=openai", "");

    tables.forEach(
        (query, suffix) -> {
          var params = UriComponentsBuilder.fromUriString("/?" + query).build().getQueryParams();
          MetricFilters filters = new MetricFilters("ws", params.getFirst("group_by"), params);
          assertThat(filters.table("metrics_hourly"))
              .as(query)
              .isEqualTo("metrics_hourly" + suffix);
          assertThat(filters.table("metrics_daily")).as(query).isEqualTo("metrics_daily" + suffix);
        });
  }
}
