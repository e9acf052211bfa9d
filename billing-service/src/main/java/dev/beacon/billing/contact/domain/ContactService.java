package dev.beacon.billing.contact.domain;

import dev.beacon.billing.contact.store.ContactRepository;
import dev.beacon.billing.contact.store.ContactRepository.ContactRow;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.identity.error.ApiException;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The address a workspace's billing notices are e-mailed to. Owners and admins set it (and read it:
 * it is a person's address); a Checkout's collected e-mail fills it when the workspace has set
 * none, and never replaces one it set. Without one, notices are in-app only.
 */
@Service
public class ContactService {

  /**
   * One address as a mail server takes it: a local part and a domain with a dot, no spaces, no line
   * breaks (a header cannot be smuggled in), no second {@code @}, no display name.
   */
  private static final Pattern ADDRESS =
      Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  private static final int MAX_LENGTH = 254;

  private final ContactRepository contacts;
  private final Clock clock;

  ContactService(ContactRepository contacts, Clock clock) {
    this.contacts = contacts;
    this.clock = clock;
  }

  /** The caller's workspace's contact; empty when there is none. */
  public Mono<Optional<ContactRow>> get(ForwardedIdentity caller) {
    return Mono.defer(
            () -> {
              requireManager(caller);
              return contacts.find(caller.workspaceId()).map(Optional::of);
            })
        .defaultIfEmpty(Optional.empty());
  }

  /** Sets the caller's workspace's address; 400 {@code invalid_email} for one that is not. */
  public Mono<ContactRow> set(ForwardedIdentity caller, String email) {
    return Mono.defer(
        () -> {
          requireManager(caller);
          String address = valid(email);
          return contacts
              .setByWorkspace(caller.workspaceId(), address, clock.instant())
              .then(contacts.find(caller.workspaceId()));
        });
  }

  /** Removes the address: notices become in-app only. 404 {@code contact_not_found} if none. */
  public Mono<Void> delete(ForwardedIdentity caller) {
    return Mono.defer(
        () -> {
          requireManager(caller);
          return contacts
              .delete(caller.workspaceId())
              .flatMap(
                  found ->
                      found
                          ? Mono.<Void>empty()
                          : Mono.error(
                              ApiException.notFound(
                                  "contact_not_found",
                                  "The workspace has no billing e-mail address.")));
        });
  }

  /** The address notices of the workspace go to; empty when there is none. */
  public Mono<String> addressOf(String workspaceId) {
    return contacts.find(workspaceId).map(ContactRow::email);
  }

  /**
   * Remembers the e-mail a Checkout of the workspace collected, unless the workspace set its own;
   * an address that is not valid is ignored.
   */
  public Mono<Void> learnFromCheckout(String workspaceId, String email) {
    if (workspaceId == null || email == null || !isValid(email.strip())) {
      return Mono.empty();
    }
    return contacts.learnFromStripe(workspaceId, email.strip(), clock.instant()).then();
  }

  static boolean isValid(String email) {
    return email.length() <= MAX_LENGTH && ADDRESS.matcher(email).matches();
  }

  private static String valid(String email) {
    String address = email == null ? "" : email.strip();
    if (!isValid(address)) {
      throw ApiException.badRequest(
              "invalid_email",
              "email must be one e-mail address such as billing@example.com, at most "
                  + MAX_LENGTH
                  + " characters.")
          .with("field", "email");
    }
    return address;
  }

  private static void requireManager(ForwardedIdentity caller) {
    if (caller.role() != Role.OWNER && caller.role() != Role.ADMIN) {
      throw ApiException.forbidden(
          "forbidden_role", "Only the workspace's owners and admins manage its billing.");
    }
  }
}
