package io.hawser.agent.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {

    @Test
    void continuationsCommentsFlagsAndJson() {
        List<Instruction> ins = DockerfileParser.parse("# c\nfrom bb:1 AS x\nRUN echo a \\\n# inside\n  && echo b\n"
                + "COPY --from=x --chown=1:2 a /b\nCMD [\"sh\", \"-c\"]\n");
        assertThat(ins).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "COPY", "CMD");
        assertThat(ins.get(1).args()).isEqualTo("echo a && echo b");
        assertThat(ins.get(1).line()).isEqualTo(3);
        assertThat(ins.get(2).flags()).isEqualTo(Map.of("from", "x", "chown", "1:2"));
        assertThat(ins.get(3).json()).containsExactly("sh", "-c");
    }

    @Test
    void unknownInstruction_namesTheLine() {
        assertThatThrownBy(() -> DockerfileParser.parse("FROM a\n\nFORM b\n"))
                .hasMessage("Dockerfile parse error line 3: unknown instruction: FORM");
    }

    @Test
    void shellLex_expandsAsMoby() {
        Map<String, String> env = Map.of("A", "1", "E", "", "S", "x y");
        assertThat(ShellLex.word("$A-${A}-${B:-d}-${E:-e}-${E-f}-${A:+set}-${B:+no}", env)).isEqualTo("1-1-d-e--set-");
        assertThat(ShellLex.word("'$A' \"$A \\$A\" \\$A", env)).isEqualTo("$A 1 $A $A");
        assertThat(ShellLex.words("a \"b c\" $S", env)).containsExactly("a", "b c", "x", "y");
    }

    @Test
    void ignorePatterns_asPatternmatcher() {
        IgnorePatterns p = IgnorePatterns.parse("# c\n/build\n**/*.tmp\n!keep.tmp\ndocs/*.md\n");
        assertThat(p.excludes("build/x/y")).isTrue();
        assertThat(p.excludes("a/b/c.tmp")).isTrue();
        assertThat(p.excludes("c.tmp")).isTrue();
        assertThat(p.excludes("keep.tmp")).isFalse();
        assertThat(p.excludes("docs/a.md")).isTrue();
        assertThat(p.excludes("docs/sub/a.md")).isFalse();
        assertThat(p.excludes("src/main.c")).isFalse();
    }
}
