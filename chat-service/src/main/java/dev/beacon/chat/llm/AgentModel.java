package dev.beacon.chat.llm;

import dev.beacon.chat.provider.domain.Provider;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * The Spring AI chat model built for one agent in one workspace, with what a turn needs around it.
 * Its model, temperature and answer bound are the model's default options; the agent's system
 * prompt is added by {@link #prompt(List)}.
 *
 * @param chatModel the provider's model, configured with the workspace's key and base URL
 * @param provider the provider
 * @param model the model name sent to the provider
 * @param systemPrompt the agent's system prompt, may be empty
 * @param baseUrl the base URL the model talks to (a circuit breaker is kept per provider and URL)
 * @param hosted whether the model calls with the platform's own key (or is the demo provider): its
 *     calls are marked {@code metadata.billing = "hosted"} and need the workspace's credits
 */
public record AgentModel(
    ChatModel chatModel,
    Provider provider,
    String model,
    String systemPrompt,
    String baseUrl,
    boolean hosted) {

  /** A model with the workspace's own key. */
  public AgentModel(
      ChatModel chatModel, Provider provider, String model, String systemPrompt, String baseUrl) {
    this(chatModel, provider, model, systemPrompt, baseUrl, false);
  }

  /** A prompt of the conversation so far, preceded by the agent's system prompt if it has one. */
  public Prompt prompt(List<Message> conversation) {
    return prompt(conversation, List.of());
  }

  /**
   * A prompt of the conversation so far that offers the model these tools (the model's own options
   * with the tools added: a prompt's options replace the model's, they are not merged).
   */
  public Prompt prompt(List<Message> conversation, List<ToolCallback> tools) {
    List<Message> messages = new ArrayList<>(conversation.size() + 1);
    if (systemPrompt != null && !systemPrompt.isBlank()) {
      messages.add(new SystemMessage(systemPrompt));
    }
    messages.addAll(conversation);
    if (tools.isEmpty()) {
      return new Prompt(messages);
    }
    ToolCallingChatOptions options =
        ((ToolCallingChatOptions) chatModel.getOptions()).mutate().toolCallbacks(tools).build();
    return new Prompt(messages, options);
  }
}
