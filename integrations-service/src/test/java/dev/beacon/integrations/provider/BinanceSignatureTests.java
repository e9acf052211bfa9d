package dev.beacon.integrations.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Beacon's Binance signature against the example in Binance's own documentation. */
class BinanceSignatureTests {

  @Test
  void signsBinancesDocumentedHmacExample() {
    // binance-spot-api-docs, rest-api.md, "SIGNED Endpoint Examples for POST /api/v3/order": HMAC
    String secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    String payload =
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
            + "&recvWindow=5000&timestamp=1499827319559";

    assertThat(BinanceTools.signature(secret, payload))
        .isEqualTo("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  }
}
