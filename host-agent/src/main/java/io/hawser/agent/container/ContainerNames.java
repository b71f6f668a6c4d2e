package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Container names as dockerd checks and invents them: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+} with an optional
 * leading '/', and {@code adjective_surname} when none is given (pkg/namesgenerator; a shortened list).
 */
public final class ContainerNames {

    /** moby daemon/names: RestrictedNamePattern. */
    static final Pattern VALID = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");

    static final List<String> ADJECTIVES = List.of("admiring", "adoring", "affectionate", "agitated", "amazing",
            "angry", "awesome", "beautiful", "blissful", "bold", "boring", "brave", "busy", "charming", "clever",
            "cool", "compassionate", "competent", "condescending", "confident", "cranky", "crazy", "dazzling",
            "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent",
            "epic", "exciting", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "funny",
            "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore", "heuristic", "hopeful", "hungry",
            "infallible", "inspiring", "intelligent", "interesting", "jolly", "jovial", "keen", "kind", "laughing",
            "loving", "lucid", "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice", "nifty",
            "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless",
            "quirky", "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly",
            "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting",
            "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial",
            "youthful", "zealous", "zen");

    static final List<String> SURNAMES = List.of("agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli",
            "aryabhata", "austin", "babbage", "banach", "bardeen", "bartik", "bassi", "bell", "bhabha", "bhaskara",
            "blackwell", "bohr", "booth", "borg", "bose", "boyd", "brahmagupta", "brattain", "brown", "carson", "cerf",
            "chandrasekhar", "clarke", "colden", "cori", "cray", "curie", "darwin", "davinci", "dijkstra", "dubinsky",
            "easley", "einstein", "elion", "engelbart", "euclid", "euler", "fermat", "fermi", "feynman", "franklin",
            "galileo", "gates", "goldberg", "goldstine", "goodall", "hamilton", "hawking", "heisenberg", "hermann",
            "hodgkin", "hoover", "hopper", "hypatia", "jackson", "jang", "jennings", "jepsen", "johnson", "joliot",
            "jones", "kalam", "kare", "keller", "kepler", "khorana", "kilby", "knuth", "lalande", "lamarr", "lamport",
            "leakey", "leavitt", "lovelace", "lumiere", "mayer", "mccarthy", "mcclintock", "meitner", "mendel",
            "merkle", "mirzakhani", "montalcini", "moore", "morse", "newton", "nobel", "noether", "northcutt",
            "noyce", "panini", "pascal", "pasteur", "payne", "perlman", "pike", "poincare", "ptolemy", "raman",
            "ramanujan", "ride", "ritchie", "rosalind", "saha", "sammet", "shannon", "shockley", "sinoussi",
            "snyder", "stonebraker", "swanson", "swartz", "tesla", "thompson", "torvalds", "turing", "varahamihira",
            "visvesvaraya", "volhard", "wescoff", "wiles", "williams", "wilson", "wing", "wozniak", "wright", "wu",
            "yalow", "yonath");

    private static final SecureRandom RANDOM = new SecureRandom();

    private ContainerNames() {}

    /** The name without its leading '/', or 400 with dockerd's message when it breaks the rules. */
    public static String validate(String name) {
        if (!VALID.matcher(name).matches()) {
            throw AgentException.invalidArgument("Invalid container name (" + name + "), only " + "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    /**
     * A free {@code adjective_surname}; after a few clashes a digit is appended, as dockerd does
     * (daemon/names.go generateAndReserveName retries 6 times, then GetRandomName(retry)).
     */
    public static String generate(Predicate<String> inUse) {
        for (int attempt = 0; ; attempt++) {
            String name = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + SURNAMES.get(RANDOM.nextInt(SURNAMES.size()));
            if (attempt >= 6) {
                name += RANDOM.nextInt(10);
            }
            // "boring_wozniak" is not generated (Steve Wozniak is not boring), as in moby.
            if (!name.equals("boring_wozniak") && !inUse.test(name)) {
                return name;
            }
        }
    }
}
