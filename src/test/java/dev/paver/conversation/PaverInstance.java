package dev.paver.conversation;

import dev.paver.PaverApplication;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** One Paver server process-in-a-process: the real application, started with the given properties. */
public final class PaverInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private PaverInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts Paver and returns once it listens. The properties are given as command-line arguments, so they win
     * over {@code application.yml} as an operator's would.
     */
    public static PaverInstance start(Map<String, Object> properties) {
        return start(properties, null);
    }

    /** As {@link #start(Map)}, with {@code clock} as Paver's time source (null: the system clock). */
    public static PaverInstance start(Map<String, Object> properties, java.time.Clock clock) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(PaverApplication.class);
        if (clock != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("conversationClock", clock));
        }
        return new PaverInstance(builder.run(args));
    }

    /** The port of {@code /actuator} ({@code management.server.port}), or {@link #port()} when it has none of its own. */
    public int managementPort() {
        Integer port = context.getEnvironment().getProperty("local.management.port", Integer.class);
        return port == null ? port() : port;
    }

    /** The HTTP port Paver listens on (loopback). */
    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
