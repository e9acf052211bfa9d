package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Spotify's tools against a stand-in speaking Spotify's Web API: the exact search and play
 * requests, the bounded answers, and Spotify's refusals — {@code NO_ACTIVE_DEVICE} among them —
 * mapped to the tools' codes.
 */
class SpotifyToolsApplicationTests extends ProviderToolsStandIns {

  static final String TRACK = "spotify:track:4uLU6hMCjMI75M1A2tKUQC";

  @Test
  void searchAsksForTheTypesAndAnswersNamesArtistsAndUris() {
    Connected spotify = connectSpotify(workspace());
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/spotify-api/v1/search"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .willReturn(
                okJson(
                    """
                    {"tracks": {"href": "https://api.spotify.com/v1/search?offset=0&limit=2",
                      "limit": 2, "next": null, "offset": 0, "previous": null, "total": 1,
                      "items": [{"id": "4uLU6hMCjMI75M1A2tKUQC", "name": "Never Gonna Give You Up",
                        "type": "track", "uri": "%s", "duration_ms": 213573, "explicit": false,
                        "artists": [{"id": "0gxyHStUsqpMadRV0Di1Qt", "name": "Rick Astley",
                                     "type": "artist", "uri": "spotify:artist:0gxyHStUsqpMadRV0Di1Qt"}],
                        "album": {"id": "6XhjNHCyCDyyGJRM5mg40G", "name": "Whenever You Need Somebody",
                                  "album_type": "album", "release_date": "1987-11-12"},
                        "external_urls": {"spotify": "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"}}]},
                     "playlists": {"limit": 2, "total": 2, "items": [null,
                       {"id": "37i9dQZF1DX4o1oenSJRJd", "name": "All Out 80s", "type": "playlist",
                        "uri": "spotify:playlist:37i9dQZF1DX4o1oenSJRJd",
                        "owner": {"display_name": "Spotify", "id": "spotify"},
                        "external_urls": {"spotify": "https://open.spotify.com/playlist/37i9dQZF1DX4o1oenSJRJd"}}]}}
                    """
                        .formatted(TRACK))));

    JsonNode found =
        okResult(
            run(
                spotify.workspace(),
                "spotify.search",
                Map.of(
                    "query",
                    "never gonna artist:rick astley",
                    "types",
                    "track, playlist",
                    "max_results",
                    2)));

    PROVIDERS.verify(
        1,
        getRequestedFor(
                urlEqualTo(
                    "/spotify-api/v1/search?q=never%20gonna%20artist%3Arick%20astley"
                        + "&type=track,playlist&limit=2"))
            .withHeader("Authorization", equalTo(spotify.bearer())));
    assertThat(found.get("tracks").get(0).toString())
        .isEqualTo(
            ("{\"name\":\"Never Gonna Give You Up\",\"artists\":\"Rick Astley\","
                    + "\"album\":\"Whenever You Need Somebody\",\"duration_ms\":213573,"
                    + "\"uri\":\"%s\","
                    + "\"url\":\"https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC\"}")
                .formatted(TRACK));
    // Spotify's null entry in the playlists is left out
    assertThat(found.get("playlists")).hasSize(1);
    assertThat(found.get("playlists").get(0).get("owner").asString()).isEqualTo("Spotify");
    assertThat(
            refused(
                    spotify.workspace(),
                    "spotify.search",
                    Map.of("query", "x", "types", "track,podcast"),
                    400)
                .get("field")
                .asString())
        .isEqualTo("types");
  }

  @Test
  void playPutsTheTrackOrTheContextAndSpotifysNoContentIsOk() {
    Connected spotify = connectSpotify(workspace());
    PROVIDERS.stubFor(
        put(urlPathEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .willReturn(aResponse().withStatus(204)));

    JsonNode track = run(spotify.workspace(), "spotify.play", Map.of("uri", TRACK));
    JsonNode album =
        run(
            spotify.workspace(),
            "spotify.play",
            Map.of("uri", "spotify:album:6XhjNHCyCDyyGJRM5mg40G", "device_id", "0d1841b0976bae2a"));
    JsonNode resume = run(spotify.workspace(), "spotify.play", Map.of());

    assertThat(track.get("result").asString())
        .isEqualTo("Playing " + TRACK + " on the active device.");
    assertThat(album.get("result").asString())
        .isEqualTo("Playing spotify:album:6XhjNHCyCDyyGJRM5mg40G on device 0d1841b0976bae2a.");
    assertThat(resume.get("result").asString()).isEqualTo("Resumed playback on the active device.");
    PROVIDERS.verify(
        1,
        putRequestedFor(urlEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
            .withRequestBody(equalToJson("{\"uris\": [\"" + TRACK + "\"]}")));
    PROVIDERS.verify(
        1,
        putRequestedFor(urlEqualTo("/spotify-api/v1/me/player/play?device_id=0d1841b0976bae2a"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .withRequestBody(
                equalToJson("{\"context_uri\": \"spotify:album:6XhjNHCyCDyyGJRM5mg40G\"}")));
    PROVIDERS.verify(
        1,
        putRequestedFor(urlEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .withRequestBody(equalToJson("{}")));
    assertThat(
            refused(
                    spotify.workspace(),
                    "spotify.play",
                    Map.of("uri", "https://open.spotify.com/x"),
                    400)
                .get("field")
                .asString())
        .isEqualTo("uri");
  }

  @Test
  void noActiveDeviceIsItsOwnCodeAndPremiumRequiredAProviderError() {
    Connected spotify = connectSpotify(workspace());
    PROVIDERS.stubFor(
        put(urlPathEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .withRequestBody(equalToJson("{\"uris\": [\"" + TRACK + "\"]}"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(
                        "{\"error\": {\"status\": 404, \"message\": \"Player command failed: No"
                            + " active device found\", \"reason\": \"NO_ACTIVE_DEVICE\"}}")));
    PROVIDERS.stubFor(
        put(urlPathEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .withRequestBody(equalToJson("{}"))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(
                        "{\"error\": {\"status\": 403, \"message\": \"Player command failed:"
                            + " Premium required\", \"reason\": \"PREMIUM_REQUIRED\"}}")));

    JsonNode noDevice = run(spotify.workspace(), "spotify.play", Map.of("uri", TRACK));
    JsonNode notPremium = run(spotify.workspace(), "spotify.play", Map.of());

    assertError(noDevice, "no_active_device");
    assertThat(noDevice.get("error").get("message").asString())
        .isEqualTo(
            "Spotify has no active device to play on: open Spotify on a phone, computer or speaker"
                + " (or name one with device_id), then try again.");
    assertError(notPremium, "provider_error");
    assertThat(notPremium.get("error").get("message").asString())
        .isEqualTo("Spotify answered HTTP 403: Player command failed: Premium required");
    JsonNode connection = connections(spotify.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo("ok");
    assertThat(connection.get("last_error").get("code").asString()).isEqualTo("provider_error");
  }

  @Test
  void anExpiredTokenTurnsTheConnectionNeedsReauthAndARateLimitIsRateLimited() {
    Connected spotify = connectSpotify(workspace());
    assertThat(toolNames(spotify.workspace()))
        .containsExactly("spotify.play", "spotify.search", "web_fetch");
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/spotify-api/v1/search"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .withQueryParam("q", equalTo("busy"))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "7")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"status\": 429, \"message\": \"Too many requests\","
                            + " \"reason\": \"QUOTA_EXCEEDED\"}}")));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/spotify-api/v1/search"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .withQueryParam("q", equalTo("expired"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"status\": 401, \"message\": \"The access token"
                            + " expired\"}}")));

    JsonNode busy = run(spotify.workspace(), "spotify.search", Map.of("query", "busy"));
    JsonNode expired = run(spotify.workspace(), "spotify.search", Map.of("query", "expired"));

    assertError(busy, "rate_limited");
    assertThat(busy.get("error").get("message").asString())
        .startsWith("Spotify is rate limiting these calls; retry after 7 seconds (at ");
    assertError(expired, "needs_reauth");
    assertThat(expired.get("error").get("message").asString())
        .contains("Spotify refused the connection's token (The access token expired)");
    assertThat(connections(spotify.workspace()).get(0).get("status").asString())
        .isEqualTo("needs_reauth");
    assertThat(toolNames(spotify.workspace())).containsExactly("web_fetch");
  }

  @Test
  void aSpotifySlowerThanTheToolsTimeoutIsATimeout() {
    Connected spotify = connectSpotify(workspace());
    PROVIDERS.stubFor(
        put(urlPathEqualTo("/spotify-api/v1/me/player/play"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .willReturn(aResponse().withStatus(204).withFixedDelay(3500)));
    PROVIDERS.stubFor(
        get(urlPathEqualTo("/spotify-api/v1/search"))
            .withHeader("Authorization", equalTo(spotify.bearer()))
            .willReturn(okJson("{\"tracks\": {\"items\": []}}").withFixedDelay(3500)));

    JsonNode play = run(spotify.workspace(), "spotify.play", Map.of("uri", TRACK));
    JsonNode search = run(spotify.workspace(), "spotify.search", Map.of("query", "slow"));

    assertError(play, "timeout");
    assertError(search, "timeout");
    assertThat(search.get("error").get("message").asString())
        .isEqualTo("Spotify did not answer within 2000 ms.");
  }
}
