package dev.beacon.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Agents, conversations and the LLM pipeline with its tool loop and approvals. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ChatApplication {

  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }
}
