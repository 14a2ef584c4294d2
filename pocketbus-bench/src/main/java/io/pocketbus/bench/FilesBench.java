package io.pocketbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * File fields over HTTP on loopback, on both storage backends — the data directory's storage/ and the embedded
 * broker's Object Store, switched through the settings — side by side with {@link FilesBaselineServer} (raw
 * disk behind the same HTTP server): upload and download throughput of a 10 MiB file from 1 and 4 clients,
 * and the time to answer a thumb request, the first one (made then) and later ones (cached).
 *
 * <p>Usage: {@code bench/run-files-bench [--rounds N] [--files N] [--thumbs N]}.
 */
public final class FilesBench {
    private static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
    private static final int FILE_SIZE = 10 << 20;
    private static final String RECORDS = "/api/collections/uploads/records";
    private static final String BOUNDARY = "pocketbusFilesBench";
    private static final List<String> BACKENDS = List.of("local", "objectstore");

    private final HttpClient http = BenchHttp.newClient();
    private final ObjectMapper json = new ObjectMapper();
    /** "operation|side" → one figure per round. */
    private final Map<String, List<Double>> results = new LinkedHashMap<>();
    private String token;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int rounds = 3;
        int files = 8;
        int thumbs = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--thumbs" -> thumbs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new FilesBench().run(jar, rounds, files, thumbs);
    }

    private void run(Path jar, int rounds, int files, int thumbs) throws Exception {
        Path dir = Files.createTempDirectory("pocketbus-files-bench");
        String java = ServerProcess.javaBinary();
        BenchHttp.exec(List.of(java, "-jar", jar.toString(), "superuser", "upsert", "bench@example.com", "benchpassword1",
                "--dir", dir.resolve("pb_data").toString()));
        int pbPort = ServerProcess.freePort();
        List<String> serve = new ArrayList<>(List.of(java));
        serve.addAll(SERVER_JVM);
        serve.addAll(List.of("-jar", jar.toString(), "serve", "--http", "127.0.0.1:" + pbPort,
                "--dir", dir.resolve("pb_data").toString(), "--nats", "127.0.0.1:" + ServerProcess.freePort()));
        int basePort = ServerProcess.freePort();
        List<String> base = new ArrayList<>(List.of(java));
        base.addAll(SERVER_JVM);
        base.addAll(List.of("-cp", System.getProperty("java.class.path"), FilesBaselineServer.class.getName(),
                Integer.toString(basePort), dir.resolve("baseline").toString()));
        byte[] content = new byte[FILE_SIZE];
        new Random(42).nextBytes(content);
        byte[] upload = multipart("doc", "ten_mib.bin", "application/octet-stream", content);
        try (ServerProcess pocketbus = ServerProcess.command("pocketbus", serve, pbPort);
                ServerProcess baseline = ServerProcess.command("baseline", base, basePort)) {
            String pb = "http://127.0.0.1:" + pbPort;
            String bl = "http://127.0.0.1:" + basePort;
            BenchHttp.awaitHealthy(http, pb);
            token = BenchHttp.post(http, pb + "/api/collections/_superusers/auth-with-password", null,
                    "{\"identity\":\"bench@example.com\",\"password\":\"benchpassword1\"}").path("token").asText();
            BenchHttp.post(http, pb + "/api/collections", token, """
                    {"name":"uploads","type":"base","listRule":"","viewRule":"","createRule":"","fields":[
                     {"name":"doc","type":"file","maxSelect":1,"maxSize":20971520},
                     {"name":"image","type":"file","maxSelect":1,"maxSize":20971520,"thumbs":["100x100"]}]}""");
            byte[] image = multipart("image", "photo.png", "image/png", png(1600, 1200));
            // warm both servers' paths before measuring
            for (String backend : BACKENDS) {
                useBackend(pb, backend);
                List<String> urls = uploads(pb, upload, 2, 1);
                downloads(urls, 1);
                thumbTimes(pb, image, 1);
            }
            baselineUploads(bl, content, 2, 1);
            for (int round = 0; round < rounds; round++) {
                for (String backend : BACKENDS) {
                    useBackend(pb, backend);
                    for (int clients : new int[] {1, 4}) {
                        long start = System.nanoTime();
                        List<String> urls = uploads(pb, upload, files, clients);
                        record("upload, " + clients + " client(s), MiB/s", backend, mibPerSecond(urls.size(), start));
                        start = System.nanoTime();
                        downloads(urls, clients);
                        record("download, " + clients + " client(s), MiB/s", backend, mibPerSecond(urls.size(), start));
                    }
                    double[] t = thumbTimes(pb, image, thumbs);
                    record("thumb 100x100 of a 1600x1200 PNG, first request, ms", backend, t[0]);
                    record("thumb 100x100, cached, ms", backend, t[1]);
                }
                for (int clients : new int[] {1, 4}) {
                    long start = System.nanoTime();
                    List<String> urls = baselineUploads(bl, content, files, clients);
                    record("upload, " + clients + " client(s), MiB/s", "baseline", mibPerSecond(urls.size(), start));
                    start = System.nanoTime();
                    downloads(urls, clients);
                    record("download, " + clients + " client(s), MiB/s", "baseline", mibPerSecond(urls.size(), start));
                }
                System.err.printf(Locale.ROOT, "round %d done%n", round + 1);
            }
        }
        report();
    }

    private void report() {
        System.out.println("| operation | raw disk baseline | local | Object Store | local / baseline | Object Store / baseline | Object Store / local |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        List<String> operations = results.keySet().stream().map(k -> k.substring(0, k.indexOf('|'))).distinct().toList();
        for (String op : operations) {
            double b = median("baseline", op);
            double l = median("local", op);
            double o = median("objectstore", op);
            System.out.printf(Locale.ROOT, "| %s | %s | %,.1f | %,.1f | %s | %s | %.2f |%n", op,
                    Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%,.1f", b), l, o,
                    Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%.2f", l / b),
                    Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%.2f", o / b), o / l);
        }
    }

    private void record(String operation, String side, double value) {
        results.computeIfAbsent(operation + "|" + side, k -> new ArrayList<>()).add(value);
        System.err.printf(Locale.ROOT, "%-12s %-55s %,10.1f%n", side, operation, value);
    }

    private double median(String side, String operation) {
        List<Double> values = results.get(operation + "|" + side);
        return values == null ? Double.NaN : BrokerBench.median(values, Double::doubleValue);
    }

    private static double mibPerSecond(int files, long startNanos) {
        return files * (FILE_SIZE / 1048576.0) * 1e9 / (System.nanoTime() - startNanos);
    }

    private void useBackend(String pb, String backend) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(pb + "/api/settings"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"objectStore\":{\"enabled\":"
                        + backend.equals("objectstore") + ",\"bucket\":\"bench_files\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("settings answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Creates {@code count} records with the 10 MiB file; returns their file URLs. */
    private List<String> uploads(String pb, byte[] body, int count, int clients) throws Exception {
        List<String> urls = new ArrayList<>();
        parallel(count, clients, () -> {
            JsonNode record = postMultipart(pb + RECORDS, body);
            String url = pb + "/api/files/uploads/" + record.path("id").asText() + "/" + record.path("doc").asText();
            synchronized (urls) {
                urls.add(url);
            }
        });
        return urls;
    }

    private List<String> baselineUploads(String bl, byte[] content, int count, int clients) throws Exception {
        List<String> urls = new ArrayList<>();
        AtomicInteger seq = new AtomicInteger();
        parallel(count, clients, () -> {
            String url = bl + "/files/file_" + seq.incrementAndGet() + "_" + System.nanoTime() + ".bin";
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 204) {
                throw new IOException("baseline upload answered " + r.statusCode());
            }
            synchronized (urls) {
                urls.add(url);
            }
        });
        return urls;
    }

    private void downloads(List<String> urls, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        parallel(urls.size(), clients, () -> {
            String url = urls.get(next.getAndIncrement());
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length != FILE_SIZE) {
                throw new IOException(url + " answered " + r.statusCode() + " with " + r.body().length + " bytes");
            }
        });
    }

    /** Median milliseconds of the first thumb request of fresh images, and of the next five (cached). */
    private double[] thumbTimes(String pb, byte[] imageUpload, int images) throws Exception {
        List<Double> first = new ArrayList<>();
        List<Double> cached = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            JsonNode record = postMultipart(pb + RECORDS, imageUpload);
            String url = pb + "/api/files/uploads/" + record.path("id").asText() + "/" + record.path("image").asText()
                    + "?thumb=100x100";
            first.add(timeThumb(url));
            for (int j = 0; j < 5; j++) {
                cached.add(timeThumb(url));
            }
        }
        return new double[] {BrokerBench.median(first, Double::doubleValue), BrokerBench.median(cached, Double::doubleValue)};
    }

    private double timeThumb(String url) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        double millis = (System.nanoTime() - start) / 1e6;
        if (r.statusCode() != 200 || ImageIO.read(new java.io.ByteArrayInputStream(r.body())).getWidth() != 100) {
            throw new IOException(url + " did not answer a 100x100 thumb");
        }
        return millis;
    }

    private interface Task {
        void run() throws Exception;
    }

    /** Runs {@code count} tasks from {@code clients} threads. */
    private static void parallel(int count, int clients, Task task) throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        task.run();
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    private static byte[] multipart(String field, String filename, String contentType, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A photo-like PNG: smooth gradients with noise, so it neither compresses to nothing nor is pure noise. */
    private static byte[] png(int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(16)) & 0xff;
                int g = (y * 255 / height + random.nextInt(16)) & 0xff;
                int b = ((x + y) * 255 / (width + height) + random.nextInt(16)) & 0xff;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private JsonNode postMultipart(String url, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", token)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }
}
