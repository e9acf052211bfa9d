package dev.beacon.gateway.mail;

import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** The development mailbox: {@code /dev/mailbox} for people, {@code /dev/mailbox/messages} JSON. */
@RestController
@Profile({"local", "dev"})
class DevMailboxController {

  private final DevMailbox mailbox;

  DevMailboxController(DevMailbox mailbox) {
    this.mailbox = mailbox;
  }

  @GetMapping(path = "/dev/mailbox/messages", produces = MediaType.APPLICATION_JSON_VALUE)
  List<Mail> messages() {
    return mailbox.mails();
  }

  @GetMapping(path = "/dev/mailbox", produces = MediaType.TEXT_HTML_VALUE)
  String page() {
    StringBuilder html =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Beacon dev mailbox</title>"
                + "</head><body><h1>Development mailbox</h1>"
                + "<p>Mails the gateway would have sent, newest first.</p><ul>");
    for (Mail mail : mailbox.mails()) {
      html.append("<li><p><strong>")
          .append(HtmlUtils.htmlEscape(mail.subject()))
          .append("</strong> to ")
          .append(HtmlUtils.htmlEscape(mail.to()))
          .append(" at ")
          .append(mail.sentAt())
          .append("</p><p><a href=\"")
          .append(HtmlUtils.htmlEscape(mail.link()))
          .append("\">")
          .append(HtmlUtils.htmlEscape(mail.link()))
          .append("</a></p></li>");
    }
    return html.append("</ul></body></html>").toString();
  }
}
