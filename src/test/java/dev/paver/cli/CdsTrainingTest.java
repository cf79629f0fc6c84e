package dev.paver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.PaverApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code java -jar paver.jar cds-training} outside an empty folder: it starts nothing and says why. */
class CdsTrainingTest {

    @Test
    void refusesToTrainInAFolderThatIsNotEmptyAndWritesNothingThere() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        boolean dataBefore = Files.exists(here.resolve("data"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = CdsTraining.run(PaverApplication.class, new String[0]);
        } finally {
            System.setErr(stderr);
        }
        assertThat(code).isEqualTo(CdsTraining.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("run it in an empty folder", here.toString());
        assertThat(Files.exists(here.resolve("data"))).isEqualTo(dataBefore);
    }
}
