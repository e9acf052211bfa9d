package dev.beacon.gateway.frontend;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Serves the dashboard bundle from {@code classpath:/static/} (the {@code frontend} jar). Spring
 * Boot's own static mappings are off ({@code spring.web.resources.add-mappings: false}) so that
 * these are the only ones:
 *
 * <ul>
 *   <li>{@code /assets/**}: Vite's content-hashed files, cached for a year as {@code immutable} (a
 *       new build has new names);
 *   <li>everything else, {@code index.html} above all: {@code no-cache}, so a browser revalidates
 *       (cheap, with {@code Last-Modified}) and picks up a new bundle at once.
 * </ul>
 *
 * Client-side routes get {@code index.html} from {@link SpaFallbackFilter}.
 */
@Configuration(proxyBeanMethods = false)
public class FrontendConfiguration implements WebFluxConfigurer {

  static final String STATIC_LOCATION = "classpath:/static/";

  /**
   * For every browser response: scripts, styles, fonts, images and connections only from the
   * gateway's own origin; inline styles allowed (the chart library styles its tooltips inline), no
   * inline or eval'd script, no plugins, no framing, forms post only here.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self';"
          + " worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self';"
          + " frame-ancestors 'none'";

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/assets/**")
        .addResourceLocations(STATIC_LOCATION + "assets/")
        .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    registry
        .addResourceHandler("/**")
        .addResourceLocations(STATIC_LOCATION)
        .setCacheControl(CacheControl.noCache());
  }

  @Bean
  SpaFallbackFilter spaFallbackFilter() {
    Resource index = new ClassPathResource("static/index.html");
    return new SpaFallbackFilter(index.exists());
  }
}
