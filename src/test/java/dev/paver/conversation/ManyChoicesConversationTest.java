package dev.paver.conversation;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog with more systems than a Slack select holds (100): create-service's system picker becomes an external
 * select whose options Paver suggests as Dana types, and a system past the hundredth is chosen and used. The
 * conversation is written here rather than under {@code conversations/} because its catalog is 130 systems long.
 */
class ManyChoicesConversationTest {

    private static final int SYSTEMS = 130;

    @Test
    void aPickerOfMoreThanAHundredChoicesSuggestsWhatMatchesTheTypedText(@TempDir Path work) throws Exception {
        String systems = IntStream.rangeClosed(1, SYSTEMS).mapToObj(i -> String.format(
                "        --- {apiVersion: backstage.io/v1alpha1, kind: System, metadata: {name: shop-%03d}, "
                        + "spec: {domain: payments, owner: group:team-payments}}", i)).collect(Collectors.joining("\n"));
        String text = """
                title: A system picker of 130 systems
                description: >
                  The payments catalog holds 130 systems. Dana opens the create-service form: the system field asks
                  Paver for the systems that match what she types, and she picks shop-123, which a list cut at 100
                  would not have offered.
                people:
                  U0DANA: Dana (developer)
                  U0SAM: Sam (platform team)
                channel: C0PAYMENTS
                steps:
                  - user: U0SAM
                    pushes:
                      repository: payments-gitops
                      file: catalog/systems/shops.yaml
                      content: |
                %s
                  - user: U0DANA
                    types: /platform create-service api
                  - modal_opens:
                      title: Create a service
                      suggests:
                        system: {typed: "shop-12", options: [shop-120, shop-121, shop-122, shop-123, shop-124, shop-125, shop-126, shop-127, shop-128, shop-129]}
                        owner: {typed: "", options: [team-payments]}
                  - modal_opens:
                      suggests:
                        system: {typed: "", count: 100}
                  - modal_opens:
                      suggests:
                        system: {typed: "no-such", options: []}
                  - user: U0DANA
                    submits: {service: api, system: shop-123, owner: team-payments}
                  - expect:
                      card:
                        contains: [create-service payments/api, "system: shop-123"]
                      pull_request:
                        repository: payments-gitops
                        files: [apps/shop-123/api/base/deployment.yaml]
                """.formatted(systems);
        try (ConversationRunner runner = new ConversationRunner(Conversation.parse(
                Path.of("conversations/generated/many-choices.yaml"), text), work)) {
            runner.run();
        }
    }
}
