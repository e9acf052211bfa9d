package dev.beacon.integrations.tool.domain;

import java.util.List;

/** One provider's tools: a Spring bean per provider, collected by the {@link ToolRegistry}. */
public interface ProviderTools {

  List<ProviderTool> tools();
}
