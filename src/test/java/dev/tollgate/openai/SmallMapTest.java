package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The captured objects' map behaves as the LinkedHashMap it replaced, and as Jackson expects. */
class SmallMapTest {
  @Test
  void aRandomRunOfChangesLeavesTheSameMapAsALinkedHashMap() {
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      Map<String, JsonNode> small = new SmallMap();
      Map<String, JsonNode> linked = new LinkedHashMap<>();
      for (int step = 0; step < 60; step++) {
        // new String: equal names that are not the same object, as a second parser gives
        String key = new String("k" + r.nextInt(20));
        switch (r.nextInt(5)) {
          case 0, 1 -> {
            JsonNode v = IntNode.valueOf(r.nextInt(1000));
            assertThat(small.put(key, v)).isEqualTo(linked.put(key, v));
          }
          case 2 -> assertThat(small.remove(key)).isEqualTo(linked.remove(key));
          case 3 -> {
            Iterator<Map.Entry<String, JsonNode>> a = small.entrySet().iterator();
            Iterator<Map.Entry<String, JsonNode>> b = linked.entrySet().iterator();
            while (a.hasNext()) {
              Map.Entry<String, JsonNode> x = a.next();
              Map.Entry<String, JsonNode> y = b.next();
              assertThat(x).isEqualTo(y);
              if (x.getKey().equals(key)) {
                a.remove();
                b.remove();
              }
            }
            assertThat(b.hasNext()).isFalse();
          }
          default -> {
            assertThat(small.get(key)).isEqualTo(linked.get(key));
            assertThat(small.containsKey(key)).isEqualTo(linked.containsKey(key));
          }
        }
        assertThat(small).isEqualTo(linked).hasSameHashCodeAs(linked);
        assertThat(new ArrayList<>(small.keySet())).isEqualTo(new ArrayList<>(linked.keySet()));
      }
    }
  }

  @Test
  void anObjectNodeOnItReadsCopiesAndWritesAsOneOnALinkedHashMap() throws Exception {
    String json =
        "{\"prompt_tokens\":19,\"completion_tokens\":8,\"total_tokens\":27,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
            + "\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6}";
    ObjectNode expected = (ObjectNode) new ObjectMapper().readTree(json);
    ObjectNode node = new ObjectNode(JsonNodeFactory.instance, new SmallMap());
    List<String> names = new ArrayList<>();
    expected.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      node.set(n, expected.get(n));
    }
    assertThat(node).isEqualTo(expected);
    assertThat(node.toString()).isEqualTo(expected.toString());
    assertThat(node.deepCopy()).isEqualTo(expected);
    assertThat(node.has("total_tokens")).isTrue();
    assertThat(node.path("missing").isMissingNode()).isTrue();
    node.setAll(Map.of("total_tokens", IntNode.valueOf(30)));
    assertThat(node.get("total_tokens").intValue()).isEqualTo(30);
    assertThat(node.size()).isEqualTo(expected.size());
    assertThat(new SmallMap().get(null)).isNull();
  }
}
