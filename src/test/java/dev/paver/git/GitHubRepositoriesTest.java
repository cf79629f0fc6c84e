package dev.paver.git;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GitHubRepositories} against WireMock serving responses recorded from github.com (hub4j/github-api and
 * PyGithub test data in ../shared/fixtures/github, see SOURCES.md). Where no recording exists (references, trees
 * of a chosen commit, blobs, a 401) the answer is written here in GitHub's documented shape and says so.
 */
class GitHubRepositoriesTest {

    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "github");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ghp_testTokenThatMustNeverBePrinted0001";
    private static final String ORG = "hub4j-test-org";
    private static final String REPO = "/repos/hub4j-test-org/github-api";

    /** Parent of the recorded commit in hub4j-treeBuilderAdd-10 and the tree its commit was based on. */
    private static final String BASE_SHA = "2acb295eef8d5eaf34d8915fad20db132745e9a0";
    private static final String BASE_TREE = "a7e5bc4c2a8bd1d57b8c8bbc6f1ab3e0b8d0b8f1";
    /** The recorded tree and commit (hub4j-treeBuilderAdd-9, -10). */
    private static final String NEW_TREE = "b09a1698f3aeb1d462c3492007760e2579734c74";
    private static final String NEW_COMMIT = "466725309d43aa6fe6cb67f8f4161451d627b43f";
    /** Head of the recorded open pull request #259 (hub4j-queryPullRequestsQualifiedHead-6). */
    private static final String PR_259_HEAD = "2d29c787b46ce61b98a1c13e05e21ebc21f49dbf";
    /** Head of the recorded open, mergeable pull request #309 (hub4j-mergeCommitSHA-7). */
    private static final String PR_309_HEAD = "b036909fcf45565c82c888ee326ebd0e382f6173";
    /** The merge commit in the recorded answer to "Merge a pull request" (hub4j-squashMerge-mapping-11). */
    private static final String MERGE_SHA = "ecec449372b1e8270524a35c1a5aa8fdaf0e6676";
    private static final PullRequest PR_309 = new PullRequest("github-api", 309,
            "https://github.com/hub4j-test-org/github-api/pull/309", "test/mergeable_branch", "main", PR_309_HEAD);

    private WireMockServer server;
    private GitHubRepositories github;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        github = GitHubRepositories.connect(server.baseUrl(), TOKEN, ORG, "main");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void opensAPullRequestWithAllFilesInOneCommitOnANewBranch() throws IOException {
        stubRepository();
        stubOpenPullRequests("[]");
        stubMissingRef("test/stable");
        stubRef("main", BASE_SHA);
        server.stubFor(post(urlEqualTo(REPO + "/git/refs")).willReturn(json(201, ref("test/stable", BASE_SHA))));
        stubTree(BASE_SHA, BASE_TREE, Map.of("README.md", "# github-api\n"));
        server.stubFor(post(urlEqualTo(REPO + "/git/trees")).willReturn(json(201, fixture("hub4j-treeBuilderAdd-9-r_h_g_git_trees.json"))));
        server.stubFor(post(urlEqualTo(REPO + "/git/commits")).willReturn(json(201, fixture("hub4j-treeBuilderAdd-10-r_h_g_git_commits.json"))));
        server.stubFor(patch(urlEqualTo(REPO + "/git/refs/heads/test/stable")).willReturn(json(200, ref("test/stable", NEW_COMMIT))));
        stubRecorded("hub4j-createPullRequest-mapping-4-r_h_g_pulls.json", "hub4j-createPullRequest-4-r_h_g_pulls.json");

        PullRequest pr = github.openPullRequest(new PullRequestDraft("github-api", "test/stable", "createPullRequest",
                "## test", "Add files", Map.of("app/run.sh", "#!/bin/sh\necho run\n", "doc/readme.txt", "read me\n")));

        assertThat(pr).isEqualTo(new PullRequest("github-api", 273, "https://github.com/hub4j-test-org/github-api/pull/273",
                "test/stable", "main", NEW_COMMIT));
        server.verify(postRequestedFor(urlEqualTo(REPO + "/git/refs"))
                .withRequestBody(equalToJson("{\"ref\":\"refs/heads/test/stable\",\"sha\":\"" + BASE_SHA + "\"}")));
        server.verify(1, postRequestedFor(urlEqualTo(REPO + "/git/trees"))
                .withRequestBody(matchingJsonPath("$.base_tree", equalTo(BASE_TREE)))
                .withRequestBody(matchingJsonPath("$.tree[?(@.path == 'app/run.sh')].content", equalTo("#!/bin/sh\necho run\n")))
                .withRequestBody(matchingJsonPath("$.tree[?(@.path == 'doc/readme.txt')].mode", equalTo("100644"))));
        server.verify(1, postRequestedFor(urlEqualTo(REPO + "/git/commits"))
                .withRequestBody(matchingJsonPath("$.tree", equalTo(NEW_TREE)))
                .withRequestBody(matchingJsonPath("$.parents[0]", equalTo(BASE_SHA)))
                .withRequestBody(matchingJsonPath("$.message", equalTo("Add files"))));
        server.verify(patchRequestedFor(urlEqualTo(REPO + "/git/refs/heads/test/stable"))
                .withRequestBody(equalToJson("{\"sha\":\"" + NEW_COMMIT + "\",\"force\":false}")));
        server.verify(0, postRequestedFor(urlMatching(".*/git/blobs")));
    }

    @Test
    void removesTheDeletedPathsWithEverythingUnderThemInTheSameCommit() throws IOException {
        stubRepository();
        stubOpenPullRequests("[]");
        stubMissingRef("test/stable");
        stubRef("main", BASE_SHA);
        server.stubFor(post(urlEqualTo(REPO + "/git/refs")).willReturn(json(201, ref("test/stable", BASE_SHA))));
        stubTree(BASE_SHA, BASE_TREE, Map.of("README.md", "# github-api\n", "apps/checkout/api/base/kustomization.yaml", "a\n",
                "apps/checkout/api/overlays/dev/kustomization.yaml", "b\n", "apps/checkout/api-v2/base/kustomization.yaml", "c\n",
                "catalog/components/api.yaml", "d\n"));
        server.stubFor(post(urlEqualTo(REPO + "/git/trees")).willReturn(json(201, fixture("hub4j-treeBuilderAdd-9-r_h_g_git_trees.json"))));
        server.stubFor(post(urlEqualTo(REPO + "/git/commits")).willReturn(json(201, fixture("hub4j-treeBuilderAdd-10-r_h_g_git_commits.json"))));
        server.stubFor(patch(urlEqualTo(REPO + "/git/refs/heads/test/stable")).willReturn(json(200, ref("test/stable", NEW_COMMIT))));
        stubRecorded("hub4j-createPullRequest-mapping-4-r_h_g_pulls.json", "hub4j-createPullRequest-4-r_h_g_pulls.json");

        github.openPullRequest(new PullRequestDraft("github-api", "test/stable", "createPullRequest", "## test", "Delete api", Map.of(),
                java.util.List.of("apps/checkout/api", "catalog/components/api.yaml")));

        server.verify(1, postRequestedFor(urlEqualTo(REPO + "/git/trees"))
                .withRequestBody(matchingJsonPath("$.base_tree", equalTo(BASE_TREE)))
                .withRequestBody(matchingJsonPath("$.tree.length()", equalTo("3")))
                .withRequestBody(matchingJsonPath("$.tree[?(@.path == 'apps/checkout/api/base/kustomization.yaml' && @.sha == null)]"))
                .withRequestBody(matchingJsonPath("$.tree[?(@.path == 'apps/checkout/api/overlays/dev/kustomization.yaml' && @.sha == null)]"))
                .withRequestBody(matchingJsonPath("$.tree[?(@.path == 'catalog/components/api.yaml' && @.sha == null)]")));
        server.verify(1, postRequestedFor(urlEqualTo(REPO + "/git/commits")).withRequestBody(matchingJsonPath("$.tree", equalTo(NEW_TREE))));
    }

    @Test
    void returnsTheOpenPullRequestAndCommitsNothingWhenTheBranchAlreadyHoldsTheFiles() throws IOException {
        stubRepository();
        stubOpenPullRequests(fixture("hub4j-queryPullRequestsQualifiedHead-6-r_h_g_pulls.json"));
        stubRef("test/stable", PR_259_HEAD);
        stubTree(PR_259_HEAD, BASE_TREE, Map.of("README.md", "# github-api\n", "doc/readme.txt", "read me\n"));

        PullRequest pr = github.openPullRequest(new PullRequestDraft("github-api", "test/stable", "Test PR", "## test",
                "Add files", Map.of("doc/readme.txt", "read me\n")));

        assertThat(pr).isEqualTo(new PullRequest("github-api", 259, "https://github.com/hub4j-test-org/github-api/pull/259",
                "test/stable", "main", PR_259_HEAD));
        server.verify(0, postRequestedFor(urlMatching(".*")));
        server.verify(0, patchRequestedFor(urlMatching(".*")));
    }

    @Test
    void looksUpThePullRequestWhenGitHubSaysOneAlreadyExists() throws IOException {
        stubRepository();
        // Nothing open at first; GitHub's recorded 422 then says another caller opened it meanwhile.
        server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, "[]")));
        server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).inScenario("race").whenScenarioStateIs("opened")
                .withQueryParam("head", equalTo("hub4j-test-org:test/stable"))
                .willReturn(json(200, fixture("hub4j-queryPullRequestsQualifiedHead-6-r_h_g_pulls.json"))));
        ObjectNode rejection = (ObjectNode) JSON.readTree(fixture("hub4j-422-pull-request-already-exists-4-r_h_g_pulls.json"));
        rejection.put("scenarioName", "race").put("requiredScenarioState", Scenario.STARTED).put("newScenarioState", "opened");
        addStub(rejection);
        stubRef("test/stable", PR_259_HEAD);
        stubTree(PR_259_HEAD, BASE_TREE, Map.of("doc/readme.txt", "read me\n"));

        PullRequest pr = github.openPullRequest(new PullRequestDraft("github-api", "test/stable", "Test PR", "## test",
                "Add files", Map.of("doc/readme.txt", "read me\n")));

        assertThat(pr.number()).isEqualTo(259);
        assertThat(pr.url()).isEqualTo("https://github.com/hub4j-test-org/github-api/pull/259");
        server.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    }

    @Test
    void readsAMergedPullRequestAsMergedWithItsMergeCommitAndWhoMergedIt() throws IOException {
        JsonNode pull = JSON.readTree(pyGithubReplayBody("pygithub-Issue131.testGetPullWithOrgHeadUser.txt"));
        server.stubFor(get(urlEqualTo("/repos/openmicroscopy/ome-documentation"))
                .willReturn(json(200, pull.path("base").path("repo").toString())));
        server.stubFor(get(urlEqualTo("/repos/openmicroscopy/ome-documentation/pulls/204")).willReturn(json(200, pull.toString())));
        GitHubRepositories openmicroscopy = GitHubRepositories.connect(server.baseUrl(), TOKEN, "openmicroscopy", "main");

        MergeState state = openmicroscopy.mergeState(new PullRequest("ome-documentation", 204, "", "develop", "develop", ""));

        assertThat(state).isEqualTo(new MergeState.Merged("d6d517c48187befdfdd1dc6784542d0976433ddd", "joshmoore"));
    }

    @Test
    void findsThePullRequestByBranchWhenItsNumberIsUnknown() throws IOException {
        JsonNode pull = JSON.readTree(pyGithubReplayBody("pygithub-Issue131.testGetPullWithOrgHeadUser.txt"));
        server.stubFor(get(urlEqualTo("/repos/openmicroscopy/ome-documentation"))
                .willReturn(json(200, pull.path("base").path("repo").toString())));
        server.stubFor(get(urlPathEqualTo("/repos/openmicroscopy/ome-documentation/pulls"))
                .withQueryParam("state", equalTo("all")).withQueryParam("head", equalTo("openmicroscopy:develop"))
                .willReturn(json(200, "[" + pull + "]")));
        server.stubFor(get(urlEqualTo("/repos/openmicroscopy/ome-documentation/pulls/204")).willReturn(json(200, pull.toString())));
        GitHubRepositories openmicroscopy = GitHubRepositories.connect(server.baseUrl(), TOKEN, "openmicroscopy", "main");

        MergeState state = openmicroscopy.mergeState(new PullRequest("ome-documentation", 0, "", "develop", "", ""));

        assertThat(state).isInstanceOf(MergeState.Merged.class);
        assertThat(((MergeState.Merged) state).revision()).isEqualTo("d6d517c48187befdfdd1dc6784542d0976433ddd");
    }

    @Test
    void readsAnOpenPullRequestAsOpenDespiteItsTestMergeCommit() throws IOException {
        stubRepository();
        stubRecorded("hub4j-mergeCommitSHA-mapping-7-r_h_g_pulls_309.json", "hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json");

        MergeState state = github.mergeState(new PullRequest("github-api", 309, "", "test/mergeable_branch", "main", ""));

        assertThat(state).isEqualTo(new MergeState.Open("b036909fcf45565c82c888ee326ebd0e382f6173"));
    }

    @Test
    void mergesTheApprovedHeadWithAMergeCommitAndReturnsTheMergeCommit() throws IOException {
        stubRepository();
        stubPullRequest309BeforeAndAfterMerge();
        server.stubFor(put(urlEqualTo(REPO + "/pulls/309/merge")).inScenario("merge").willSetStateTo("merged")
                .willReturn(json(200, recordedMergeAnswer())));

        MergeState.Merged merged = github.merge(PR_309, PR_309_HEAD, "Merge #309 (approved by alice)");

        assertThat(merged).isEqualTo(new MergeState.Merged(MERGE_SHA, "bitwiseman"));
        server.verify(1, putRequestedFor(urlEqualTo(REPO + "/pulls/309/merge"))
                .withRequestBody(matchingJsonPath("$.sha", equalTo(PR_309_HEAD)))
                .withRequestBody(matchingJsonPath("$.merge_method", equalTo("merge")))
                .withRequestBody(matchingJsonPath("$.commit_message", equalTo("Merge #309 (approved by alice)"))));
    }

    @Test
    void returnsTheMergeAgainWhenThePullRequestIsAlreadyMerged() throws IOException {
        stubRepository();
        server.stubFor(get(urlEqualTo(REPO + "/pulls/309")).willReturn(json(200, pullRequest309Merged())));

        assertThat(github.merge(PR_309, PR_309_HEAD, "Merge #309")).isEqualTo(new MergeState.Merged(MERGE_SHA, "bitwiseman"));
        server.verify(0, putRequestedFor(urlMatching(".*")));
    }

    @Test
    void aPullRequestsAddressOfPaversOrganisationIsReadWithItsBranchAndHeadAndAnyOtherIsNot() throws IOException {
        stubRepository();
        stubRecorded("hub4j-mergeCommitSHA-mapping-7-r_h_g_pulls_309.json", "hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json");

        assertThat(github.pullRequestAt("https://github.com/hub4j-test-org/github-api/pull/309")).contains(PR_309);
        assertThat(github.pullRequestAt("https://github.example/hub4j-test-org/github-api/pull/309"))
                .as("another host's pull request of the same name").isEmpty();
        int asked = server.getAllServeEvents().size();
        assertThat(github.pullRequestAt("https://github.com/someone-else/github-api/pull/309")).as("another owner").isEmpty();
        assertThat(github.pullRequestAt("https://github.com/hub4j-test-org/github-api")).as("not a pull request").isEmpty();
        assertThat(server.getAllServeEvents()).as("neither is asked for").hasSize(asked);
    }

    @Test
    void refusesWithoutMergingWhenTheHeadIsNoLongerTheApprovedOne() throws IOException {
        stubRepository();
        stubRecorded("hub4j-mergeCommitSHA-mapping-7-r_h_g_pulls_309.json", "hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json");
        String approved = "1111111111111111111111111111111111111111";

        assertThatThrownBy(() -> github.merge(PR_309, approved, "Merge #309"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("pull request #309 of hub4j-test-org/github-api changed after the approval")
                .hasMessageContaining("no longer " + approved + " but " + PR_309_HEAD)
                .hasMessageContaining("nothing was merged")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isTrue());
        server.verify(0, putRequestedFor(urlMatching(".*")));
    }

    @Test
    void refusesWhenGitHubSaysTheHeadMovedBeforeTheMerge() throws IOException {
        stubRepository();
        stubRecorded("hub4j-mergeCommitSHA-mapping-7-r_h_g_pulls_309.json", "hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json");
        // GitHub's documented answer when `sha` does not match the head.
        server.stubFor(put(urlEqualTo(REPO + "/pulls/309/merge")).willReturn(json(409, "{\"message\":\"Head branch was"
                + " modified. Review and try the merge again.\",\"documentation_url\":\"https://docs.github.com/rest/pulls/pulls#merge-a-pull-request\"}")));

        assertThatThrownBy(() -> github.merge(PR_309, PR_309_HEAD, "Merge #309"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("changed after the approval: its head is no longer " + PR_309_HEAD)
                .hasMessageContaining("HTTP 409: Head branch was modified")
                .hasMessageContaining("nothing was merged")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isTrue());
    }

    @Test
    void refusesAPullRequestThatCannotBeMergedNamingTheConflict() throws IOException {
        stubRepository();
        stubRecorded("hub4j-mergeCommitSHA-mapping-7-r_h_g_pulls_309.json", "hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json");
        // GitHub's documented answer for a pull request with conflicts.
        server.stubFor(put(urlEqualTo(REPO + "/pulls/309/merge")).willReturn(json(405, "{\"message\":\"Pull Request is not"
                + " mergeable\",\"documentation_url\":\"https://docs.github.com/rest/pulls/pulls#merge-a-pull-request\"}")));

        assertThatThrownBy(() -> github.merge(PR_309, PR_309_HEAD, "Merge #309"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("GitHub cannot merge pull request #309 of hub4j-test-org/github-api")
                .hasMessageContaining("HTTP 405: Pull Request is not mergeable")
                .hasMessageContaining("it conflicts with main")
                .hasMessageContaining("nothing was merged")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isTrue());
    }

    @Test
    void aFailingGitHubLeavesTheMergeToBeTriedAgain() throws IOException {
        stubRepository();
        stubRecorded("hub4j-mergeCommitSHA-mapping-7-r_h_g_pulls_309.json", "hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json");
        server.stubFor(put(urlEqualTo(REPO + "/pulls/309/merge")).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")));

        assertThatThrownBy(() -> github.merge(PR_309, PR_309_HEAD, "Merge #309"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("GitHub is failing (HTTP 502")
                .hasMessageContaining("merging pull request #309")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isFalse());
    }

    @Test
    void reportsRejectedCredentialsWithTheSettingToCheckAndWithoutTheToken() {
        // GitHub's answer to a bad token (no recording in the fixtures; shape from GitHub docs).
        server.stubFor(get(urlEqualTo(REPO + "/pulls/1"))
                .willReturn(json(401, "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        server.stubFor(get(urlEqualTo(REPO)).willReturn(json(401,
                "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}")));

        assertThatThrownBy(() -> github.mergeState(new PullRequest("github-api", 1, "", "b", "main", "")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("HTTP 401: Bad credentials")
                .hasMessageContaining("check paver.github.token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void reportsDeniedAccessWithTheSettingToCheck() throws IOException {
        // The recorded 403 body with rate limit left, so that it is a plain permission denial.
        ObjectNode denial = templated(fixture("hub4j-403-primary-rate-limit-2-r_h_t_Wait.json"));
        ((ObjectNode) denial.path("response").path("headers")).put("X-RateLimit-Remaining", "4999");
        addStub(denial);

        assertThatThrownBy(() -> github.readFiles("temp-testHandler_Wait", "catalog"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("HTTP 403: Must have push access to repository")
                .hasMessageContaining("check that paver.github.token has");
    }

    @Test
    void failsAtOnceWithTheResetTimeWhenThePrimaryRateLimitIsUsedUp() throws IOException {
        addStub(templated(fixture("hub4j-403-primary-rate-limit-2-r_h_t_Wait.json")));

        assertThatThrownBy(() -> github.readFiles("temp-testHandler_Wait", "catalog"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("rate limit for the token is used up")
                .hasMessageContaining("it resets at")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        // github-api's default handler would have slept until the reset and asked again.
        server.verify(1, getRequestedFor(urlEqualTo("/repos/hub4j-test-org/temp-testHandler_Wait")));
    }

    @Test
    void failsAtOnceAndWaitsAtLeastAMinuteWhenTheSecondaryRateLimitHitsThoughRetryAfterSaysLess() throws IOException {
        addStub(templated(fixture("hub4j-429-secondary-rate-limit-2-r_h_t_fail.json")));
        java.time.Instant before = java.time.Instant.now();

        assertThatThrownBy(() -> github.ensureRepository("temp-testHandler_Wait_Secondary_Limits_Too_Many_Requests", "x"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageStartingWith("Waiting for GitHub's rate limit until ")
                .hasMessageContaining("HTTP 429: Paver went over GitHub's secondary rate limit")
                .satisfies(e -> assertThat(((RepositoryException) e).retryAt())
                        .as("Retry-After: 8, but GitHub asks for at least a minute").isAfterOrEqualTo(before.plusSeconds(60)))
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isFalse());
        // github-api's default handler would have slept and asked again
        server.verify(1, getRequestedFor(urlEqualTo("/repos/hub4j-test-org/temp-testHandler_Wait_Secondary_Limits_Too_Many_Requests")));
    }

    @Test
    void createsAMissingRepositoryPrivateAndInitialisedInTheOrganization() throws IOException {
        String repository = repositoryJson();
        server.stubFor(get(urlEqualTo(REPO)).willReturn(json(404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        server.stubFor(get(urlEqualTo("/orgs/hub4j-test-org"))
                .willReturn(json(200, "{\"login\":\"hub4j-test-org\",\"id\":7544739,\"type\":\"Organization\"}")));
        server.stubFor(post(urlEqualTo("/orgs/hub4j-test-org/repos")).willReturn(json(201, repository)));

        RepositoryInfo info = github.ensureRepository("github-api", "Java API for GitHub");

        assertThat(info).isEqualTo(new RepositoryInfo("github-api", "https://github.com/hub4j-test-org/github-api", "main",
                "Java API for GitHub"));
        server.verify(postRequestedFor(urlEqualTo("/orgs/hub4j-test-org/repos"))
                .withRequestBody(matchingJsonPath("$.name", equalTo("github-api")))
                .withRequestBody(matchingJsonPath("$.private", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.auto_init", equalTo("true"))));
    }

    @Test
    void readsOnlyTheTextFilesUnderTheDirectoryOnTheDefaultBranch() throws IOException {
        stubRepository();
        stubRef("main", BASE_SHA);
        ArrayNode entries = JSON.createArrayNode();
        entries.add(blobEntry("README.md", "aaaa000000000000000000000000000000000001", 10));
        entries.add(blobEntry("catalog/systems/checkout.yaml", "aaaa000000000000000000000000000000000002", 20));
        entries.add(blobEntry("catalog/groups/team.yaml", "aaaa000000000000000000000000000000000003", 20));
        entries.add(blobEntry("catalog/logo.png", "aaaa000000000000000000000000000000000004", 8));
        entries.add(blobEntry("catalog/huge.yaml", "aaaa000000000000000000000000000000000005", 2 * 1024 * 1024));
        entries.add(blobEntry("catalogue.yaml", "aaaa000000000000000000000000000000000006", 10));
        entries.addObject().put("path", "catalog/groups").put("mode", "040000").put("type", "tree")
                .put("sha", "aaaa000000000000000000000000000000000007");
        server.stubFor(get(urlEqualTo(REPO + "/git/trees/" + BASE_SHA + "?recursive=1")).willReturn(json(200,
                JSON.createObjectNode().put("sha", BASE_TREE).put("truncated", false).set("tree", entries).toString())));
        stubBlob("aaaa000000000000000000000000000000000002", "kind: System\n".getBytes(StandardCharsets.UTF_8));
        stubBlob("aaaa000000000000000000000000000000000003", "kind: Group\n".getBytes(StandardCharsets.UTF_8));
        stubBlob("aaaa000000000000000000000000000000000004", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});

        Map<String, String> files = github.readFiles("github-api", "catalog/");

        assertThat(files).containsExactly(Map.entry("catalog/groups/team.yaml", "kind: Group\n"),
                Map.entry("catalog/systems/checkout.yaml", "kind: System\n"));
        server.verify(0, getRequestedFor(urlEqualTo(REPO + "/git/blobs/aaaa000000000000000000000000000000000005")));
    }

    @Test
    void readsTheDirectorysOwnSubtreeWhenTheWholeListingIsTruncated() throws IOException {
        stubRepository();
        stubRef("main", BASE_SHA);
        server.stubFor(get(urlEqualTo(REPO + "/git/trees/" + BASE_SHA + "?recursive=1")).willReturn(json(200,
                "{\"sha\":\"" + BASE_TREE + "\",\"truncated\":true,\"tree\":[]}")));
        server.stubFor(get(urlEqualTo(REPO + "/git/trees/" + BASE_SHA)).willReturn(json(200, "{\"sha\":\"" + BASE_TREE
                + "\",\"truncated\":false,\"tree\":[{\"path\":\"catalog\",\"mode\":\"040000\",\"type\":\"tree\","
                + "\"sha\":\"cccc000000000000000000000000000000000001\"}]}")));
        ArrayNode entries = JSON.createArrayNode();
        entries.add(blobEntry("systems/checkout.yaml", "aaaa000000000000000000000000000000000002", 20));
        server.stubFor(get(urlEqualTo(REPO + "/git/trees/cccc000000000000000000000000000000000001?recursive=1")).willReturn(json(200,
                JSON.createObjectNode().put("sha", "cccc000000000000000000000000000000000001").put("truncated", false)
                        .set("tree", entries).toString())));
        stubBlob("aaaa000000000000000000000000000000000002", "kind: System\n".getBytes(StandardCharsets.UTF_8));

        assertThat(github.readFiles("github-api", "catalog"))
                .containsExactly(Map.entry("catalog/systems/checkout.yaml", "kind: System\n"));
    }

    @Test
    void readsNothingFromARepositoryThatDoesNotExist() {
        server.stubFor(get(urlEqualTo("/repos/hub4j-test-org/nowhere"))
                .willReturn(json(404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));

        assertThat(github.readFiles("nowhere", "catalog")).isEmpty();
    }

    // --- stubs ---------------------------------------------------------------------------------------------------

    /** The recorded repository (the base repository embedded in the recorded pull request). */
    private String repositoryJson() throws IOException {
        return JSON.readTree(fixture("hub4j-createPullRequest-4-r_h_g_pulls.json")).path("base").path("repo").toString();
    }

    @Test
    void aCancelledRunClosesItsOpenPullRequestAndDeletesItsBranch() throws IOException {
        stubRepository();
        stubRecorded("hub4j-mergeCommitSHA-mapping-7-r_h_g_pulls_309.json", "hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json");
        server.stubFor(patch(urlEqualTo(REPO + "/pulls/309"))
                .willReturn(json(200, fixture("hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json"))));
        stubRef("test/mergeable_branch", PR_309_HEAD);
        // GitHub docs, "Delete a reference": 204 No Content
        server.stubFor(delete(urlEqualTo(REPO + "/git/refs/heads/test/mergeable_branch")).willReturn(aResponse().withStatus(204)));

        assertThat(github.closeChange(PR_309)).isEqualTo(new MergeState.Open(PR_309_HEAD));
        assertThat(github.deleteBranch("github-api", "test/mergeable_branch")).isTrue();

        server.verify(1, patchRequestedFor(urlEqualTo(REPO + "/pulls/309"))
                .withRequestBody(matchingJsonPath("$.state", equalTo("closed"))));
        server.verify(1, deleteRequestedFor(urlEqualTo(REPO + "/git/refs/heads/test/mergeable_branch")));
    }

    @Test
    void aMergedPullRequestIsNotClosedAndABranchAlreadyGoneIsNotDeletedAgain() throws IOException {
        stubRepository();
        server.stubFor(get(urlEqualTo(REPO + "/pulls/309")).willReturn(json(200, pullRequest309Merged())));
        stubMissingRef("test/mergeable_branch");

        assertThat(github.closeChange(PR_309)).isEqualTo(new MergeState.Merged(MERGE_SHA, "bitwiseman"));
        assertThat(github.deleteBranch("github-api", "test/mergeable_branch")).isFalse();

        server.verify(0, patchRequestedFor(urlMatching(".*")));
        server.verify(0, deleteRequestedFor(urlMatching(".*")));
    }

    @Test
    void aFailingGitHubLeavesTheBranchForLaterAndTheDefaultBranchIsNeverDeleted() throws IOException {
        stubRepository();
        stubRef("test/mergeable_branch", PR_309_HEAD);
        server.stubFor(delete(urlEqualTo(REPO + "/git/refs/heads/test/mergeable_branch")).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")));

        assertThatThrownBy(() -> github.deleteBranch("github-api", "test/mergeable_branch"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("deleting branch test/mergeable_branch")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isFalse());
        assertThatThrownBy(() -> github.deleteBranch("github-api", "main"))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("is its default branch");
        server.verify(0, deleteRequestedFor(urlEqualTo(REPO + "/git/refs/heads/main")));
    }

    private void stubRepository() throws IOException {
        server.stubFor(get(urlEqualTo(REPO)).willReturn(json(200, repositoryJson())));
    }

    private void stubOpenPullRequests(String body) {
        server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).withQueryParam("state", equalTo("open"))
                .withQueryParam("head", equalTo("hub4j-test-org:test/stable")).withQueryParam("base", equalTo("main"))
                .willReturn(json(200, body)));
    }

    /** Pull request #309 as recorded (open) until the merge, then as GitHub shows it merged. */
    private void stubPullRequest309BeforeAndAfterMerge() throws IOException {
        server.stubFor(get(urlEqualTo(REPO + "/pulls/309")).inScenario("merge").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, fixture("hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json"))));
        server.stubFor(get(urlEqualTo(REPO + "/pulls/309")).inScenario("merge").whenScenarioStateIs("merged")
                .willReturn(json(200, pullRequest309Merged())));
    }

    /**
     * The recorded open pull request #309 changed to how GitHub shows a merged one (no recording of #309 merged):
     * closed, merged by its author, {@code merge_commit_sha} the merge commit.
     */
    private static String pullRequest309Merged() throws IOException {
        ObjectNode pr = (ObjectNode) JSON.readTree(fixture("hub4j-mergeCommitSHA-7-r_h_g_pulls_309.json"));
        pr.put("state", "closed").put("merged", true).put("merge_commit_sha", MERGE_SHA)
                .put("merged_at", "2019-10-05T21:12:00Z").put("closed_at", "2019-10-05T21:12:00Z").putNull("mergeable");
        pr.set("merged_by", pr.get("user"));
        return pr.toString();
    }

    /** The recorded answer of "Merge a pull request" (its request was a squash merge; the answer has the same shape). */
    private static String recordedMergeAnswer() throws IOException {
        return JSON.readTree(fixture("hub4j-squashMerge-mapping-11-r_h_g_pulls_267_merge.json")).path("response").path("body").asText();
    }

    /** A reference in the shape of the recorded hub4j-squashMerge-6 answer, pointing at this server. */
    private String ref(String branch, String sha) {
        return "{\"ref\":\"refs/heads/" + branch + "\",\"node_id\":\"x\",\"url\":\"" + server.baseUrl() + REPO
                + "/git/refs/heads/" + branch + "\",\"object\":{\"sha\":\"" + sha + "\",\"type\":\"commit\",\"url\":\""
                + server.baseUrl() + REPO + "/git/commits/" + sha + "\"}}";
    }

    private void stubRef(String branch, String sha) {
        server.stubFor(get(urlEqualTo(REPO + "/git/refs/heads/" + branch)).willReturn(json(200, ref(branch, sha))));
    }

    private void stubMissingRef(String branch) {
        server.stubFor(get(urlEqualTo(REPO + "/git/refs/heads/" + branch)).willReturn(json(404,
                "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest/git/refs#get-a-reference\"}")));
    }

    /** The recursive tree of a commit, with real blob ids of the given contents. */
    private void stubTree(String commit, String treeSha, Map<String, String> files) {
        ArrayNode entries = JSON.createArrayNode();
        files.forEach((path, content) -> entries.add(blobEntry(path, GitHubRepositories.blobSha(content),
                content.getBytes(StandardCharsets.UTF_8).length)));
        server.stubFor(get(urlEqualTo(REPO + "/git/trees/" + commit + "?recursive=1")).willReturn(json(200,
                JSON.createObjectNode().put("sha", treeSha).put("truncated", false).set("tree", entries).toString())));
    }

    private static ObjectNode blobEntry(String path, String sha, long size) {
        return JSON.createObjectNode().put("path", path).put("mode", "100644").put("type", "blob").put("sha", sha).put("size", size);
    }

    private void stubBlob(String sha, byte[] content) {
        server.stubFor(get(urlEqualTo(REPO + "/git/blobs/" + sha))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/vnd.github.raw").withBody(content)));
    }

    /** A recorded hub4j WireMock mapping (its request matcher included) answering with its recorded body file. */
    private void stubRecorded(String mapping, String bodyFile) throws IOException {
        ObjectNode stub = (ObjectNode) JSON.readTree(fixture(mapping));
        ObjectNode response = (ObjectNode) stub.get("response");
        response.remove("bodyFileName");
        response.put("body", fixture(bodyFile));
        stub.remove(java.util.List.of("scenarioName", "requiredScenarioState", "newScenarioState"));
        addStub(stub);
    }

    /** Renders the mapping's {@code {{now ...}}} header templates, as hub4j does when replaying. */
    private static ObjectNode templated(String mapping) throws IOException {
        ObjectNode stub = (ObjectNode) JSON.readTree(mapping);
        ((ObjectNode) stub.get("response")).putArray("transformers").add("response-template");
        stub.remove(java.util.List.of("scenarioName", "requiredScenarioState", "newScenarioState"));
        return stub;
    }

    /** Adds a stub; drops the recorded ids and {@code persistent}, which would make WireMock write it to src/test/resources. */
    private void addStub(ObjectNode stub) {
        stub.remove(java.util.List.of("id", "uuid", "persistent"));
        server.addStubMapping(StubMapping.buildFrom(stub.toString()));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    private static String fixture(String name) throws IOException {
        return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
    }

    /** The response body of a PyGithub replay file: the line after the response header list. */
    private static String pyGithubReplayBody(String name) throws IOException {
        return fixture(name).split("\n")[9];
    }
}
