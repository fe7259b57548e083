import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for an OpenAI-compatible chat model, for benchmarks on loopback: answers
 * POST /v1/chat/completions in the chat-completion wire format after a fixed delay, with a valid
 * reply JSON as the assistant's content.
 *
 *   java bench/FakeChatModel.java [--port 8099] [--delay-ms 0]
 */
public class FakeChatModel {

    public static void main(String[] args) throws IOException {
        int port = 8099;
        long delay = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--delay-ms")) {
                delay = Long.parseLong(args[i + 1]);
            }
        }
        long delayMs = delay;
        AtomicLong calls = new AtomicLong();
        String content = "{\\\"reply\\\":\\\"Thanks! A general treatment is $129 for the first visit. Would Thursday morning work?\\\","
                + "\\\"next_state\\\":\\\"start\\\",\\\"intent\\\":\\\"pricing\\\",\\\"opt_out\\\":false,\\\"escalate\\\":false}";
        byte[] body = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1795240000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":400,\"completion_tokens\":30,\"total_tokens\":430}}").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(512));
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.printf("fake chat model on 127.0.0.1:%d, delay %d ms%n", port, delayMs);
    }
}
