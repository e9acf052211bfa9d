package dev.beacon.chat.provider.domain;

import java.util.Locale;

/** The wire format a provider speaks, and so the Spring AI model module that talks to it. */
public enum ProviderFamily {
  /** OpenAI chat completions: OpenAI itself and every OpenAI-compatible endpoint. */
  OPENAI,
  /** Anthropic's Messages API. */
  ANTHROPIC,
  /** Google's Gemini API ({@code generateContent}). */
  GOOGLE_GENAI,
  /** Ollama's native API ({@code /api/chat}). */
  OLLAMA;

  /** The value in JSON: the lower-case name. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
