import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one correctly signed Twilio inbound-SMS webhook to a running hub, the way Twilio would.
 *
 *   java bench/SendTestSms.java [--url http://localhost:8080/sms] [--public-url URL-Twilio-signed]
 *        [--token $TWILIO_AUTH_TOKEN] [--from +15005550006] [--body "Hi there"] [--sid SM...]
 *
 * The signature is Twilio's: base64(HMAC-SHA1(token, url + every POST name and value sorted by name)).
 */
public class SendTestSms {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = opt.getOrDefault("url", "http://localhost:8080/sms");
        String publicUrl = opt.getOrDefault("public-url", url);
        String token = opt.getOrDefault("token", System.getenv().getOrDefault("TWILIO_AUTH_TOKEN", ""));
        if (token.isEmpty()) {
            System.err.println("set TWILIO_AUTH_TOKEN or pass --token (the hub's TWILIO_AUTH_TOKEN)");
            System.exit(2);
        }
        Map<String, String> form = new TreeMap<>();
        form.put("MessageSid", opt.getOrDefault("sid", "SM" + UUID.randomUUID().toString().replace("-", "")));
        form.put("AccountSid", "AC" + "0".repeat(32));
        form.put("From", opt.getOrDefault("from", "+15005550006"));
        form.put("To", opt.getOrDefault("to", "+15005550001"));
        form.put("Body", opt.getOrDefault("body", "Hi, do you treat for termites?"));
        form.put("NumMedia", "0");
        form.put("NumSegments", "1");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", sign(token, publicUrl, form))
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode() + " " + response.body());
    }

    static String sign(String token, String url, Map<String, String> sortedForm) throws Exception {
        StringBuilder data = new StringBuilder(url);
        sortedForm.forEach((k, v) -> data.append(k).append(v));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    static String encode(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }
}
