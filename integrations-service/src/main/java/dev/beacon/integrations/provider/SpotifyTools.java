package dev.beacon.integrations.provider;

import static dev.beacon.integrations.provider.ProviderClient.JSON;

import dev.beacon.integrations.connection.domain.ProviderId;
import dev.beacon.integrations.tool.domain.ProviderTool;
import dev.beacon.integrations.tool.domain.ProviderTools;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Spotify's Web API with the connection's token: search the catalogue (no scope needed), start or
 * resume playback on the person's active device ({@code user-modify-playback-state}; Spotify plays
 * only for Premium accounts). Spotify answers a play with no device to play on as 404 {@code
 * NO_ACTIVE_DEVICE}, which the tool answers as {@code no_active_device}.
 */
@Component
class SpotifyTools implements ProviderTools {

  /** The types the search tool offers, in Spotify's names. */
  private static final Set<String> TYPES = Set.of("track", "album", "artist", "playlist");

  private static final Pattern URI =
      Pattern.compile("spotify:(track|episode|album|playlist|artist|show):[A-Za-z0-9]{1,64}");
  private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final ProviderClient client;

  SpotifyTools(ProviderClient client) {
    this.client = client;
  }

  @Override
  public List<ProviderTool> tools() {
    return List.of(
        new ProviderTool(
            new ToolSpec(
                "spotify.search",
                "Searches Spotify's catalogue for tracks (and, if asked, albums, artists,"
                    + " playlists); returns each one's name, artists, Spotify URI and link. The URI"
                    + " is what spotify.play takes.",
                ToolKind.READ,
                ProviderId.SPOTIFY.id(),
                Schema.object(
                    List.of("query"),
                    "query",
                    Schema.string(
                        "What to look for; Spotify's filters work (artist:, album:, year:).",
                        1,
                        200),
                    "types",
                    Schema.string(
                        "Comma-separated: track, album, artist, playlist. track by default.",
                        4,
                        40),
                    "max_results",
                    Schema.integer("How many of each type, 5 by default.", 1, 10)),
                List.of()),
            ProviderId.SPOTIFY,
            this::search),
        new ProviderTool(
            new ToolSpec(
                "spotify.play",
                "Plays a track, episode, album, playlist, artist or show on the connected"
                    + " Spotify account's active device, or resumes playback without a URI."
                    + " Needs Spotify Premium and a device where Spotify is open.",
                ToolKind.WRITE,
                ProviderId.SPOTIFY.id(),
                Schema.object(
                    List.of(),
                    "uri",
                    Schema.string(
                        "A Spotify URI from spotify.search, e.g. spotify:track:4uLU6hMCjMI75M1A2tKUQC.",
                        15,
                        100),
                    "device_id",
                    Schema.string("Play on this device instead of the active one.", 1, 128)),
                List.of("user-modify-playback-state")),
            ProviderId.SPOTIFY,
            this::play));
  }

  private Mono<ToolResult> search(ToolCall call) {
    String query = Schema.text(call.arguments(), "query");
    List<String> types = types(Schema.text(call.arguments(), "types"));
    int max = Schema.integer(call.arguments(), "max_results", 5);
    return client.run(
        "spotify.search",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "search",
                        HttpMethod.GET,
                        UriComponentsBuilder.fromUriString(
                                client.settings().spotifyUrl() + "/v1/search")
                            .queryParam("q", "{q}")
                            .queryParam("type", String.join(",", types))
                            .queryParam("limit", max)
                            .encode()
                            .buildAndExpand(query)
                            .toUri(),
                        Map.of(),
                        null,
                        null))
                .map(
                    outcome -> {
                      if (!outcome.ok()) {
                        return outcome.failure();
                      }
                      ObjectNode result = JSON.createObjectNode();
                      for (String type : types) {
                        ArrayNode items = result.putArray(type + "s");
                        for (JsonNode item : outcome.answer().path(type + "s").path("items")) {
                          // Spotify leaves null entries in playlist results
                          if (items.size() >= max || !item.isObject()) {
                            continue;
                          }
                          items.add(item(type, item));
                        }
                      }
                      return ToolResult.ok(result.toString());
                    }));
  }

  private static ObjectNode item(String type, JsonNode item) {
    ObjectNode found = JSON.createObjectNode();
    found.put("name", item.path("name").asString(null));
    if (type.equals("track") || type.equals("album")) {
      List<String> artists = new ArrayList<>();
      for (JsonNode artist : item.path("artists")) {
        artists.add(artist.path("name").asString(""));
      }
      found.put("artists", String.join(", ", artists));
    }
    if (type.equals("track")) {
      found.put("album", item.path("album").path("name").asString(null));
      found.put("duration_ms", item.path("duration_ms").asLong());
    }
    if (type.equals("album")) {
      found.put("release_date", item.path("release_date").asString(null));
    }
    if (type.equals("playlist")) {
      found.put("owner", item.path("owner").path("display_name").asString(null));
    }
    found.put("uri", item.path("uri").asString(null));
    found.put("url", item.path("external_urls").path("spotify").asString(null));
    return found;
  }

  private Mono<ToolResult> play(ToolCall call) {
    String uri =
        Schema.matching(
            call.arguments(),
            "uri",
            URI,
            "a Spotify URI like spotify:track:<id> (track, episode, album, playlist, artist,"
                + " show)");
    String device = Schema.matching(call.arguments(), "device_id", DEVICE, "a Spotify device id");
    Map<String, Object> body = new LinkedHashMap<>();
    if (uri != null) {
      String kind = uri.substring("spotify:".length(), uri.lastIndexOf(':'));
      if (kind.equals("track") || kind.equals("episode")) {
        body.put("uris", List.of(uri));
      } else {
        body.put("context_uri", uri);
      }
    }
    UriComponentsBuilder url =
        UriComponentsBuilder.fromUriString(client.settings().spotifyUrl() + "/v1/me/player/play");
    if (device != null) {
      url.queryParam("device_id", device);
    }
    return client.run(
        "spotify.play",
        call,
        session ->
            session
                .send(
                    new ProviderClient.Request(
                        "player.play",
                        HttpMethod.PUT,
                        url.build().toUri(),
                        Map.of(),
                        body,
                        device == null ? "device to play on" : "device " + device))
                .map(
                    outcome ->
                        outcome.ok()
                            ? ToolResult.ok(
                                (uri == null ? "Resumed playback" : "Playing " + uri)
                                    + (device == null
                                        ? " on the active device."
                                        : " on device " + device + "."))
                            : outcome.failure()));
  }

  private static List<String> types(String given) {
    if (given == null) {
      return List.of("track");
    }
    Set<String> types = new LinkedHashSet<>();
    for (String part : given.split(",")) {
      String type = part.strip().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        continue;
      }
      if (!TYPES.contains(type)) {
        throw ToolRegistry.invalidArguments(
            "types", "types must be among track, album, artist, playlist; not " + type + ".");
      }
      types.add(type);
    }
    if (types.isEmpty()) {
      throw ToolRegistry.invalidArguments("types", "types must name at least one type.");
    }
    return List.copyOf(types);
  }
}
