package io.pocketbus.http;

import io.pocketbus.core.ContentTypes;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * PocketBase's thumb sizes, made with the JDK's ImageIO: {@code WxH} fills the box and crops the centre,
 * {@code WxHt} / {@code WxHb} crop from the top / bottom, {@code WxHf} fits inside the box without cropping
 * (never enlarging), and {@code 0xH} / {@code Wx0} resize keeping the ratio. PNG, JPEG and GIF keep their
 * format; anything else ImageIO can read becomes PNG.
 */
final class Thumbs {
    private static final Pattern SIZE = Pattern.compile("^(\\d{1,5})x(\\d{1,5})(t|b|f)?$");

    /** A thumb: its bytes and content type. */
    record Thumb(byte[] content, String contentType) { }

    private Thumbs() {
    }

    /** Whether {@code size} is in PocketBase's thumb syntax (not both sides zero). */
    static boolean isValidSize(String size) {
        Matcher m = SIZE.matcher(size);
        return m.matches() && !(Integer.parseInt(m.group(1)) == 0 && Integer.parseInt(m.group(2)) == 0);
    }

    /** The thumb of {@code original} at {@code size}; empty when the bytes are not a readable image. */
    static Optional<Thumb> create(byte[] original, String contentType, String size) throws IOException {
        Matcher m = SIZE.matcher(size);
        if (!m.matches()) {
            return Optional.empty();
        }
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(original));
        if (src == null) {
            return Optional.empty();
        }
        int width = Integer.parseInt(m.group(1));
        int height = Integer.parseInt(m.group(2));
        String mode = m.group(3) == null ? "" : m.group(3);
        BufferedImage out;
        if (width == 0 || height == 0) {
            int w = width == 0 ? Math.max(1, Math.round((float) src.getWidth() * height / src.getHeight())) : width;
            int h = height == 0 ? Math.max(1, Math.round((float) src.getHeight() * width / src.getWidth())) : height;
            out = draw(src, w, h, 0, 0, w, h);
        } else if (mode.equals("f")) {
            if (src.getWidth() <= width && src.getHeight() <= height) {
                out = src;
            } else {
                double scale = Math.min((double) width / src.getWidth(), (double) height / src.getHeight());
                int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
                int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
                out = draw(src, w, h, 0, 0, w, h);
            }
        } else {
            double scale = Math.max((double) width / src.getWidth(), (double) height / src.getHeight());
            int scaledW = Math.max(width, (int) Math.round(src.getWidth() * scale));
            int scaledH = Math.max(height, (int) Math.round(src.getHeight() * scale));
            int x = (scaledW - width) / 2;
            int y = switch (mode) {
                case "t" -> 0;
                case "b" -> scaledH - height;
                default -> (scaledH - height) / 2;
            };
            out = draw(src, width, height, -x, -y, scaledW, scaledH);
        }
        String format = switch (ContentTypes.baseType(contentType)) {
            case "image/jpeg", "image/jpg" -> "jpeg";
            case "image/gif" -> "gif";
            default -> "png";
        };
        if (format.equals("jpeg") && out.getColorModel().hasAlpha()) {
            BufferedImage rgb = new BufferedImage(out.getWidth(), out.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            try {
                g.drawImage(out, 0, 0, java.awt.Color.WHITE, null);
            } finally {
                g.dispose();
            }
            out = rgb;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(out, format, bytes)) {
            return Optional.empty();
        }
        return Optional.of(new Thumb(bytes.toByteArray(), format.equals("jpeg") ? "image/jpeg" : "image/" + format));
    }

    /** Draws {@code src} scaled to {@code drawW×drawH} at ({@code x},{@code y}) on a {@code w×h} canvas. */
    private static BufferedImage draw(BufferedImage src, int w, int h, int x, int y, int drawW, int drawH) {
        boolean alpha = src.getColorModel().hasAlpha();
        BufferedImage canvas = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, x, y, drawW, drawH, null);
        } finally {
            g.dispose();
        }
        return canvas;
    }
}
