package dev.beacon.billing.contact.web;

import dev.beacon.billing.contact.domain.ContactService;
import dev.beacon.billing.contact.store.ContactRepository.ContactRow;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The workspace's billing e-mail address: {@code {"email": …, "source": "workspace" | "stripe",
 * "updated_at": …}}, or {@code {"email": null}} when there is none. Owners and admins only.
 */
@RestController
class ContactController {

  private final ContactService contacts;

  ContactController(ContactService contacts) {
    this.contacts = contacts;
  }

  @GetMapping("/api/billing/contact")
  Mono<Map<String, Object>> get(@AuthenticationPrincipal ForwardedIdentity identity) {
    return contacts.get(identity).map(row -> view(row.orElse(null)));
  }

  @PutMapping("/api/billing/contact")
  Mono<Map<String, Object>> set(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestBody(required = false) JsonNode body) {
    return Mono.defer(
        () -> {
          if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", "The body is not a JSON object.");
          }
          JsonNode email = body.get("email");
          if (email != null && !email.isNull() && !email.isString()) {
            throw ApiException.badRequest("invalid_email", "email must be a string.")
                .with("field", "email");
          }
          return contacts
              .set(identity, email == null || email.isNull() ? null : email.asString())
              .map(this::view);
        });
  }

  @DeleteMapping("/api/billing/contact")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(@AuthenticationPrincipal ForwardedIdentity identity) {
    return contacts.delete(identity);
  }

  private Map<String, Object> view(ContactRow row) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("email", row == null ? null : row.email());
    if (row != null) {
      view.put("source", row.source());
      view.put("updated_at", row.updatedAt().toString());
    }
    return view;
  }
}
