/**
 * The tools of connected providers: Gmail, Calendar and Drive (Google), Slack, GitHub, Notion,
 * Todoist, Dropbox and Spotify, and of the credential providers, Binance, Telegram and Brave Search
 * ({@code web_search}), which also check a credential before it is stored ({@link
 * dev.beacon.integrations.connection.domain.CredentialCheck}). Each provider's {@code *Tools} bean
 * names its tools and builds their requests; {@link
 * dev.beacon.integrations.provider.ProviderClient} sends them with the connection's access token or
 * credentials, reads the provider's answer in its own wire format, maps its refusals to stable
 * codes and publishes one {@code service_call} per request.
 */
package dev.beacon.integrations.provider;
