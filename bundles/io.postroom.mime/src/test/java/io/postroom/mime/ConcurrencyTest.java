package io.postroom.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One parser serves a thread pool: results in parallel equal results in sequence. */
class ConcurrencyTest {
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());

    private ParsedMessage parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.parse(in);
        }
    }

    @Test
    void parallelParsingGivesTheSameMessages() throws Exception {
        List<Path> files = Corpus.messages();
        List<ParsedMessage> sequential = new ArrayList<>();
        for (Path file : files) {
            sequential.add(parse(file));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<ParsedMessage>> futures = new ArrayList<>();
                for (Path file : files) {
                    futures.add(pool.submit(() -> parse(file)));
                }
                for (int i = 0; i < files.size(); i++) {
                    assertThat(futures.get(i).get()).as(files.get(i).toString()).isEqualTo(sequential.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
