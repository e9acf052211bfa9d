package dev.beacon.events;

/**
 * One Kafka topic of the contract: its name and the Java types of its keys and values. Instances
 * live in {@link Topics}; listeners and publishers take names from there, never from a literal.
 *
 * @param name the topic name, {@code obs.<type-plural>.v<major>} for the observability events and
 *     the aggregator's metric updates, {@code <service>.<what>.v<major>} for a service's own
 * @param keyType the type of the record key
 * @param valueType the type of the record value, serialised as JSON
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(String name, Class<K> keyType, Class<V> valueType) {

  /**
   * Name of this topic's dead-letter topic, where records go after bounded retries fail, with the
   * reason in headers. It has the same partition count as this topic.
   *
   * @return {@code name + ".dlt"}
   */
  public String deadLetterName() {
    return name + ".dlt";
  }
}
