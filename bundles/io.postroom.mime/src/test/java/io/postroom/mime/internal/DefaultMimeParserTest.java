package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.ParseOptions;
import io.postroom.mime.RemoteImages;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

/** The OSGi component reads its configuration; bad values fall back to defaults instead of failing. */
class DefaultMimeParserTest {

    private static MimeParserConfig config(int maxTextBytes, int maxDepth, String remoteImages) {
        return new MimeParserConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MimeParserConfig.class;
            }

            @Override
            public int maxTextBytes() {
                return maxTextBytes;
            }

            @Override
            public int maxTotalTextBytes() {
                return 4 << 20;
            }

            @Override
            public int maxDepth() {
                return maxDepth;
            }

            @Override
            public int maxParts() {
                return 1000;
            }

            @Override
            public int maxHeaderBytes() {
                return 1 << 20;
            }

            @Override
            public int maxHeaderValueChars() {
                return 65536;
            }

            @Override
            public String remoteImages() {
                return remoteImages;
            }
        };
    }

    @Test
    void configurationBecomesOptions() {
        DefaultMimeParser parser = new DefaultMimeParser(config(2 << 20, 16, "remove"));
        assertThat(parser.options().maxTextBytes()).isEqualTo(2 << 20);
        assertThat(parser.options().maxDepth()).isEqualTo(16);
        assertThat(parser.options().remoteImages()).isEqualTo(RemoteImages.REMOVE);
    }

    @Test
    void invalidConfigurationFallsBackToDefaults() {
        DefaultMimeParser parser = new DefaultMimeParser(config(10, 1, "sometimes"));
        assertThat(parser.options()).isEqualTo(ParseOptions.defaults());
    }

    /**
     * What the metatype's bounds exclude, the parser's limits refuse, naming the setting (and the
     * component then uses its defaults, logged).
     */
    @Test
    void theMetatypesBoundsAreTheLimitsBounds() {
        io.postroom.testing.ds.MetatypeBounds.assertEnforced(MimeParserConfig.class, "io.postroom.mime", c -> {
            try {
                DefaultMimeParser.limits(c, RemoteImages.BLOCK);
            } catch (io.postroom.api.PostroomException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    @Test
    void aSmallerTextPerMessageCapsTheTextPerPart() {
        ParseOptions o = DefaultMimeParser.options(io.postroom.testing.ds.ComponentConfig.of(MimeParserConfig.class,
                java.util.Map.of("maxTotalTextBytes", 2048)));
        assertThat(o.maxTotalTextBytes()).isEqualTo(2048);
        assertThat(o.maxTextBytes()).as("not the defaults").isEqualTo(2048);
    }
}
