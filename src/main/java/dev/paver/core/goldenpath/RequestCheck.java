package dev.paver.core.goldenpath;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.GroupAccessAnnotations;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.ResourceKinds;
import dev.paver.core.convention.ResourceProfile;
import dev.paver.core.convention.SemanticKey;
import dev.paver.core.convention.Violation;
import dev.paver.core.report.Times;
import dev.paver.core.secret.Scope;
import dev.paver.core.secret.SecretNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what a user typed or submitted into template parameters, or says exactly what is wrong. Runs the
 * platform conventions first (names, environments, profiles, known systems and groups: CONVENTIONS.md), then
 * the template's JSON Schema, and reports at most one violation per parameter. Pure: no I/O.
 */
public final class RequestCheck {

    /** Free text may not be longer than this many characters. */
    public static final int MAX_TEXT = 500;

    private final Conventions conventions;
    private final AccessPolicy access;
    private final RepositoryPort.Location repositories;

    /** @param conventions the platform rules names, environments and profiles are checked against */
    public RequestCheck(Conventions conventions) {
        this(conventions, AccessPolicy.defaults());
    }

    /**
     * @param conventions the platform rules names, environments and profiles are checked against
     * @param access      the elevation roles and their longest durations
     */
    public RequestCheck(Conventions conventions, AccessPolicy access) {
        this(conventions, access, RepositoryPort.Location.EMBEDDED);
    }

    /**
     * @param conventions the platform rules names, environments and profiles are checked against
     * @param access      the elevation roles and their longest durations
     * @param repositories where Paver's repositories are ({@link RepositoryPort#location()}): the templates'
     *                    {@code platform.repoHost} and {@code platform.repoOwner}, what a {@code RepoUrlPicker}'s
     *                    {@code owner/repository} is completed with, and the only host and owner it may name
     */
    public RequestCheck(Conventions conventions, AccessPolicy access, RepositoryPort.Location repositories) {
        this.conventions = conventions;
        this.access = access;
        this.repositories = repositories;
    }

    /** The outcome of a check. */
    public sealed interface Outcome permits Accepted, Rejected, Incomplete {
    }

    /**
     * Every rule holds.
     *
     * @param parameters typed parameters with defaults
     * @param platform   values derived from the catalog and the conventions, the template's {@code platform}
     *                   context; which ones depends on the parameters' conventions, e.g. {@code domain},
     *                   {@code costCenter}, {@code gitopsRepository}, {@code environments}, {@code profile} (requests and
     *                   limits), {@code namespace}, and for an elevation {@code clusterRole}, {@code duration} (as
     *                   {@code 1h30m}) and {@code roleMax}
     */
    public record Accepted(Map<String, Object> parameters, Map<String, Object> platform) implements Outcome {
    }

    /** Some rules are broken; nothing may happen. */
    public record Rejected(List<Violation> violations) implements Outcome {
    }

    /** Required parameters are missing; ask for them (a modal), keeping what was given. */
    public record Incomplete(List<Parameter> missing, Map<String, String> given) implements Outcome {
    }

    /**
     * @param path    the golden path
     * @param given   parameter name to text, as typed or submitted
     * @param catalog the known systems and groups
     * @param askForMissing true to answer {@link Incomplete} when only required values are missing (typed
     *                      command), false to reject them (modal submission)
     */
    public Outcome check(GoldenPath path, Map<String, String> given, PlatformCatalog catalog, boolean askForMissing) {
        ParameterSchema schema = path.parameters();
        Set<String> unknown = new HashSet<>(given.keySet());
        schema.parameters().forEach(p -> unknown.remove(p.name()));

        Map<String, Violation> byParameter = new LinkedHashMap<>();
        unknown.forEach(name -> byParameter.put(name, Violation.ofParameter(name, "unknown-parameter",
                "there is no parameter " + Names.quote(name) + " in " + path.id() + "; its parameters are "
                        + path.parameters().parameters().stream().map(Parameter::name).toList())));

        Map<String, Object> values = schema.withDefaults(ownRepoUrls(schema, given));
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("repoHost", repositories.host());
        platform.put("repoOwner", repositories.owner());
        platform.put("environments", conventions.environments());
        platform.put("firstEnvironment", conventions.firstEnvironment());
        platform.put("imageRegistry", conventions.imageRegistry());
        platform.put("productionEnvironment", conventions.productionEnvironment());
        String domain = text(values, byConvention(schema, "domain"));
        String system = text(values, byConvention(schema, "system"));
        String service = text(values, byConvention(schema, "service"));
        if (domain == null && system != null) {
            domain = catalog.system(system).map(PlatformCatalog.SystemEntry::domain).orElse(null);
        }

        for (Parameter p : schema.parameters()) {
            Object raw = values.get(p.name());
            if (raw instanceof String s && !SecretParameters.isSecret(p)) {
                checkText(p, s).ifPresent(v -> byParameter.putIfAbsent(p.name(), v));
            }
            if (raw instanceof String s && ParameterSchema.REPO_URL_PICKER.equals(p.uiField())
                    && !byParameter.containsKey(p.name())) {
                foreignRepoUrl(p, s).ifPresent(v -> byParameter.put(p.name(), v));
            }
            if (raw instanceof String s && !byParameter.containsKey(p.name())) {
                // a catalog picker's entity ref, an EntityNamePicker's name: checked again, whatever the form offered
                EntityPickers.check(p, s, catalog).ifPresent(v -> byParameter.put(p.name(), v));
            }
            if (raw == null || p.convention() == null || byParameter.containsKey(p.name())) {
                continue;
            }
            String value = String.valueOf(raw);
            Optional<Violation> violation = switch (p.convention()) {
                case "domain" -> conventions.checkName(p.name(), value, Conventions.NameRole.KEY_SEGMENT, service);
                case "service" -> conventions.checkName(p.name(), value, Conventions.NameRole.KEY_SEGMENT, domain)
                        .or(() -> newService(p, value, catalog));
                case "system" -> conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null)
                        .or(() -> known(p, value, catalog.systems().keySet(), "system", "catalog/systems/"));
                case "owner" -> conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null)
                        .or(() -> known(p, value, catalog.groups().keySet(), "group", "catalog/groups/"));
                case "environment" -> conventions.checkEnvironment(p.name(), value);
                case "profile" -> conventions.profiles().containsKey(value) ? Optional.empty()
                        : Optional.of(Violation.ofParameter(p.name(), "profile", p.name() + " " + Names.quote(value)
                        + " is not a resource profile; use one of " + conventions.profileNames()));
                case "known-service" -> knownService(p, value, catalog, platform);
                case "promotion-target" -> promotionTarget(p, value, platform);
                case "prod-key" -> prodKey(p, value, catalog, platform);
                case "role" -> access.role(value).isPresent() ? Optional.empty()
                        : Optional.of(Violation.ofParameter(p.name(), "role", p.name() + " " + Names.quote(value)
                        + " is not a role; use one of " + access.roles().keySet()));
                case "duration" -> duration(p, value, text(values, byConvention(schema, "role")), platform);
                case "new-domain" -> conventions.checkName(p.name(), value, Conventions.NameRole.KEY_SEGMENT, null)
                        .or(() -> taken(p, value, catalog.domains().keySet(), "domain", "catalog/domain.yaml of "
                                + conventions.gitopsRepository(value)))
                        .or(() -> {
                            platform.put("domain", value);
                            return Optional.empty();
                        });
                case "known-domain" -> conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null)
                        .or(() -> knownDomain(p, value, catalog, platform));
                case "new-system" -> conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null)
                        .or(() -> taken(p, value, catalog.systems().keySet(), "system", "catalog/systems/"));
                case "new-group" -> conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null)
                        .or(() -> taken(p, value, catalog.groups().keySet(), "group", "catalog/groups/"));
                case "new-user" -> conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null)
                        .or(() -> taken(p, value, catalog.users().keySet(), "user", "catalog/users/"));
                case "known-groups" -> knownGroups(p, raw, catalog);
                case "known-users" -> knownUsers(p, raw, catalog);
                case "domain-owner" -> conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null)
                        .or(() -> domainOwner(p, value, values, catalog, platform));
                case "developer-environments" -> developerEnvironments(p, raw, platform);
                case "access-systems" -> accessSystems(p, raw, text(values, byConvention(schema, "known-domain")), catalog, platform);
                case "resource-type" -> resourceType(p, value, platform);
                case "object-name" -> objectName(p, value, values, schema, platform);
                case SecretParameters.KEY -> SecretNames.dataKeyProblem(value)
                        .map(problem -> Violation.ofParameter(p.name(), "secret-key", p.name() + ": " + problem));
                case SecretParameters.SCOPE -> secretScope(p, value);
                default -> Optional.empty();
            };
            violation.ifPresent(v -> byParameter.put(p.name(), v));
        }

        serviceWhere(schema, values, byParameter, catalog);

        List<Parameter> missing = schema.missing(given);
        for (Violation v : schema.validate(values)) {
            if (missing.stream().anyMatch(p -> p.name().equals(v.subject()))) {
                continue;
            }
            byParameter.putIfAbsent(v.subject(), v);
        }
        if (!missing.isEmpty() && askForMissing) {
            return new Incomplete(missing, given);
        }
        for (Parameter p : missing) {
            byParameter.putIfAbsent(p.name(), Violation.ofParameter(p.name(), "required", p.name() + " is required"
                    + (p.description().isEmpty() ? "" : ": " + p.description())));
        }
        if (!byParameter.isEmpty()) {
            return new Rejected(List.copyOf(byParameter.values()));
        }

        if (domain == null && platform.get("domain") instanceof String derived) {
            domain = derived;
        }
        if (domain != null) {
            platform.put("domain", domain);
            platform.put("gitopsRepository", conventions.gitopsRepository(domain));
        }
        String owner = text(values, byConvention(schema, "owner"));
        if (owner == null && platform.get("owner") instanceof String derived) {
            owner = derived;
        }
        String role = text(values, byConvention(schema, "role"));
        if (role != null) {
            AccessPolicy.Role r = access.role(role).orElseThrow();
            platform.put("clusterRole", r.clusterRole());
            platform.put("roleMax", Times.duration(r.max()));
        }
        if (owner != null) {
            platform.put("costCenter", catalog.groups().getOrDefault(owner, ""));
        }
        String profileName = text(values, byConvention(schema, "profile"));
        if (profileName != null) {
            ResourceProfile profile = conventions.profiles().get(profileName);
            platform.put("profile", Map.of("name", profile.name(), "requestsCpu", profile.requestsCpu(),
                    "requestsMemory", profile.requestsMemory(), "limitsCpu", profile.limitsCpu(),
                    "limitsMemory", profile.limitsMemory()));
        }
        String env = text(values, byConvention(schema, "environment"));
        if (env != null && domain != null && platform.get("service") instanceof String svc) {
            platform.put("environment", env);
            platform.put("namespace", domain + "-" + env + "-" + svc);
        }
        if (env != null) {
            platform.put("production", env.equals(conventions.productionEnvironment()));
        }
        String newGroup = text(values, byConvention(schema, "new-group"));
        if (domain != null && newGroup != null && byConvention(schema, "developer-environments") != null) {
            groupAccessOfNewGroup(newGroup, domain, catalog, platform);
        }
        if (domain != null && system != null && service != null) {
            groupAccessOfNewService(service, system, domain, catalog, platform);
        }
        return new Accepted(values, platform);
    }

    /**
     * {@code given} with each {@code RepoUrlPicker}'s {@code owner/repository} completed to Paver's own host
     * ({@code <host>?owner=o&repo=r}): typed in Slack, it names a repository of the git host Paver publishes to.
     */
    private Map<String, String> ownRepoUrls(ParameterSchema schema, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>(given);
        for (Parameter p : schema.parameters()) {
            String typed = given.get(p.name());
            if (typed != null && ParameterSchema.REPO_URL_PICKER.equals(p.uiField())
                    && OWNER_SLASH_REPO.matcher(typed.strip()).matches()) {
                String[] parts = typed.strip().split("/");
                out.put(p.name(), repositories.host() + "?owner=" + parts[0] + "&repo=" + parts[1]);
            }
        }
        return out;
    }

    private static final java.util.regex.Pattern OWNER_SLASH_REPO =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}");

    /** A repository URL of another host or owner than Paver's own: refused before anything happens. */
    private Optional<Violation> foreignRepoUrl(Parameter p, String url) {
        Map<String, Object> parsed;
        try {
            parsed = BackstageFilters.parseRepoUrl(url);
        } catch (TemplateRenderer.TemplateException e) {
            return Optional.empty(); // not a repository URL at all: the schema's check names that
        }
        String host = String.valueOf(parsed.get("host"));
        String owner = parsed.get("owner") instanceof String o ? o : "(none)";
        if (host.equals(repositories.host()) && owner.equals(repositories.owner())) {
            return Optional.empty();
        }
        return Optional.of(Violation.ofParameter(p.name(), "repository-owner", p.name() + " " + Names.quote(url)
                + " names owner " + owner + " on " + host + ", but Paver publishes only to its own repositories, owner "
                + repositories.owner() + " on " + repositories.host() + "; nothing was started. Write "
                + repositories.owner() + "/" + parsed.get("repo") + " instead"));
    }

    /**
     * A new service's name is free: no catalog Component of that name in any domain's GitOps repository, and no
     * repository of that name (its application repository would be), as the catalog last read them. The run checks
     * again before it pushes anything ({@code paver:check-free}).
     */
    private Optional<Violation> newService(Parameter p, String value, PlatformCatalog catalog) {
        PlatformCatalog.ServiceEntry existing = catalog.services().get(value);
        if (existing != null) {
            String where = existing.domain().isEmpty() ? "catalog/components/"
                    : "catalog/components/ of " + conventions.gitopsRepository(existing.domain());
            return taken(p, value, catalog.services().keySet(), "service", where);
        }
        if (catalog.repositories().contains(value)) {
            return Optional.of(Violation.ofParameter(p.name(), "repository-exists", p.name() + " " + Names.quote(value)
                    + ": a repository " + value + " exists already, and a new service's application repository takes its "
                    + "name; nothing was pushed. Choose another name, or ask the repository's owners"));
        }
        return Optional.empty();
    }

    private Optional<Violation> knownService(Parameter p, String value, PlatformCatalog catalog, Map<String, Object> platform) {
        Optional<Violation> name = conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null);
        if (name.isPresent()) {
            return name;
        }
        PlatformCatalog.ServiceEntry service = catalog.service(value).orElse(null);
        if (service == null || service.domain().isEmpty()) {
            String known = catalog.services().isEmpty() ? "none is known yet" : "known: " + String.join(", ", catalog.services().keySet());
            return Optional.of(Violation.ofParameter(p.name(), "unknown-service", p.name() + " " + Names.quote(value)
                    + " is not a known service (" + known + "); a service is known once a domain's GitOps repository has "
                    + "its Component in catalog/components/ and its System in catalog/systems/"));
        }
        platform.put("domain", service.domain());
        platform.put("system", service.system());
        platform.put("owner", service.owner());
        platform.put("service", service.name());
        return Optional.empty();
    }

    /**
     * A known service named together with its system and domain (a path that removes it asks for all three, as a
     * confirmation): the three must be the catalog's ({@code service-elsewhere}).
     */
    private static void serviceWhere(ParameterSchema schema, Map<String, Object> values, Map<String, Violation> byParameter,
                                     PlatformCatalog catalog) {
        String serviceParameter = byConvention(schema, "known-service");
        String name = text(values, serviceParameter);
        PlatformCatalog.ServiceEntry service = name == null || byParameter.containsKey(serviceParameter) ? null
                : catalog.service(name).orElse(null);
        if (service == null) {
            return;
        }
        for (String[] where : List.of(new String[] {"system", "system", service.system()},
                new String[] {"known-domain", "domain", service.domain()})) {
            String parameter = byConvention(schema, where[0]);
            String given = text(values, parameter);
            if (given != null && !byParameter.containsKey(parameter) && !given.equals(where[2])) {
                byParameter.put(parameter, Violation.ofParameter(parameter, "service-elsewhere", parameter + " "
                        + Names.quote(given) + ": the service " + service.name() + " is in system " + service.system()
                        + " of domain " + service.domain() + " (catalog/components/" + service.name() + ".yaml), not in "
                        + where[1] + " " + given + "; give its own " + where[1] + ", so that the right service is meant"));
                return;
            }
        }
    }

    private Optional<Violation> knownDomain(Parameter p, String value, PlatformCatalog catalog, Map<String, Object> platform) {
        if (!catalog.domains().containsKey(value)) {
            String known = catalog.domains().isEmpty() ? "none is known yet" : "known: " + String.join(", ", catalog.domains().keySet());
            return Optional.of(Violation.ofParameter(p.name(), "unknown-domain", p.name() + " " + Names.quote(value)
                    + " is not a known domain (" + known + "); create it first with /platform create-domain " + value));
        }
        platform.put("domain", value);
        return Optional.empty();
    }

    private Optional<Violation> knownGroups(Parameter p, Object raw, PlatformCatalog catalog) {
        List<String> groups = values(raw);
        if (groups.isEmpty()) {
            return Optional.of(Violation.ofParameter(p.name(), "required", p.name() + " needs at least one group"));
        }
        for (String group : groups) {
            Optional<Violation> name = conventions.checkName(p.name(), group, Conventions.NameRole.LABEL, null);
            if (name.isPresent()) {
                return name;
            }
            if (!catalog.groups().containsKey(group)) {
                String known = catalog.groups().isEmpty() ? "none is known yet" : "known: " + String.join(", ", catalog.groups().keySet());
                return Optional.of(Violation.ofParameter(p.name(), "unknown-group", p.name() + ": " + Names.quote(group)
                        + " is not a known group (" + known + "); create it first with /platform create-group"));
            }
        }
        return Optional.empty();
    }

    /** The owner of a new domain: a known group, or a new one that then needs a cost centre. */
    private static Optional<Violation> domainOwner(Parameter p, String value, Map<String, Object> values,
                                                   PlatformCatalog catalog, Map<String, Object> platform) {
        boolean known = catalog.groups().containsKey(value);
        Object costCenter = values.get("costCenter");
        if (!known && (costCenter == null || String.valueOf(costCenter).isBlank())) {
            return Optional.of(Violation.ofParameter("costCenter", "required", "costCenter is required: " + p.name() + " "
                    + Names.quote(value) + " is a new group, and every group has a cost centre"));
        }
        platform.put("newOwner", !known);
        if (known) {
            platform.put("costCenter", catalog.groups().get(value));
        }
        return Optional.empty();
    }

    private Optional<Violation> knownUsers(Parameter p, Object raw, PlatformCatalog catalog) {
        List<String> users = values(raw);
        for (String user : users) {
            Optional<Violation> name = conventions.checkName(p.name(), user, Conventions.NameRole.LABEL, null);
            if (name.isPresent()) {
                return name;
            }
            if (!catalog.users().containsKey(user)) {
                return Optional.of(Violation.ofParameter(p.name(), "unknown-user", p.name() + ": " + Names.quote(user)
                        + " is not a person in the catalog; onboard them first with /platform create-user " + user));
            }
        }
        return Optional.empty();
    }

    /**
     * Environments a developer group gets access to: known ones, never production (CONVENTIONS.md, Access: production
     * access is a time-boxed elevation).
     */
    private Optional<Violation> developerEnvironments(Parameter p, Object raw, Map<String, Object> platform) {
        List<String> envs = values(raw);
        if (envs.isEmpty()) {
            return Optional.of(Violation.ofParameter(p.name(), "required", p.name() + " needs at least one of "
                    + conventions.developerEnvironments()));
        }
        for (String env : envs) {
            if (env.equals(conventions.productionEnvironment())) {
                return Optional.of(Violation.ofParameter(p.name(), "no-prod-developer-access", p.name() + " includes "
                        + Names.quote(env) + ": developer groups never get a RoleBinding in " + env + ". Production access "
                        + "is time-boxed and approved: /platform elevate {domain}-" + env + "-{service}. Choose from "
                        + conventions.developerEnvironments()));
            }
            Optional<Violation> known = conventions.checkEnvironment(p.name(), env);
            if (known.isPresent()) {
                return known;
            }
        }
        platform.put("accessEnvironments", List.copyOf(new LinkedHashSet<>(envs)));
        return Optional.empty();
    }

    /**
     * The systems of its domain a new developer group works on: known systems of that domain, each once; none given
     * means every system of the domain, present and future.
     */
    private Optional<Violation> accessSystems(Parameter p, Object raw, String domain, PlatformCatalog catalog,
                                              Map<String, Object> platform) {
        List<String> systems = values(raw).stream().map(String::strip).distinct().toList();
        for (String system : systems) {
            Optional<Violation> name = conventions.checkName(p.name(), system, Conventions.NameRole.LABEL, null);
            if (name.isPresent()) {
                return name;
            }
            PlatformCatalog.SystemEntry entry = catalog.system(system).orElse(null);
            if (entry == null || domain != null && !entry.domain().equals(domain)) {
                List<String> known = catalog.systems().values().stream()
                        .filter(s -> domain == null || s.domain().equals(domain)).map(PlatformCatalog.SystemEntry::name).toList();
                return Optional.of(Violation.ofParameter(p.name(), "unknown-system", p.name() + ": " + Names.quote(system)
                        + " is not a system of " + (domain == null ? "the domain" : Names.quote(domain)) + " ("
                        + (known.isEmpty() ? "it has none yet" : "its systems: " + String.join(", ", known))
                        + "); leave " + p.name() + " out for every system of the domain"));
            }
        }
        platform.put("accessSystems", systems);
        return Optional.empty();
    }

    /**
     * The RoleBindings of a new developer group: one per environment of its access and service of the domain whose
     * system it covers, at {@code rbac/groups/{env}/{group}/{service}.yaml} ({@link #putBindings}); and the
     * annotations of its catalog Group that record that access ({@link GroupAccessAnnotations}).
     */
    @SuppressWarnings("unchecked")
    private void groupAccessOfNewGroup(String group, String domain, PlatformCatalog catalog, Map<String, Object> platform) {
        List<String> envs = (List<String>) platform.getOrDefault("accessEnvironments", List.of());
        List<String> systems = (List<String>) platform.getOrDefault("accessSystems", List.of());
        PlatformCatalog.GroupAccess access = new PlatformCatalog.GroupAccess(group, domain, envs, systems);
        List<String[]> bindings = new ArrayList<>();
        for (String env : envs) {
            for (PlatformCatalog.ServiceEntry svc : catalog.servicesOf(domain)) {
                if (access.covers(domain, svc.system()) && Names.isDnsLabel(svc.name())) {
                    bindings.add(new String[] {env, group, svc.name()});
                }
            }
        }
        platform.put("accessSystems", systems);
        platform.put("accessAnnotations", Map.of("domain", domain, "environments", GroupAccessAnnotations.join(envs),
                "systems", GroupAccessAnnotations.join(systems)));
        putBindings(domain, bindings, platform);
    }

    /**
     * The RoleBindings of a new service for every group whose access (its catalog Group's annotations) covers the
     * service's system, in each of that group's environments that is a developer environment of the conventions
     * (never production, whatever a hand-edited annotation says).
     */
    private void groupAccessOfNewService(String service, String system, String domain, PlatformCatalog catalog,
                                         Map<String, Object> platform) {
        List<PlatformCatalog.GroupAccess> groups = catalog.groupsWithAccessTo(domain, system);
        List<String[]> bindings = new ArrayList<>();
        for (String env : conventions.developerEnvironments()) {
            for (PlatformCatalog.GroupAccess group : groups) {
                if (group.environments().contains(env) && Names.isDnsLabel(group.group())) {
                    bindings.add(new String[] {env, group.group(), service});
                }
            }
        }
        platform.put("accessGroups", groups.stream().map(PlatformCatalog.GroupAccess::group).toList());
        putBindings(domain, bindings, platform);
    }

    /**
     * Puts {@code groupBindings}, the bindings as {@code {env}/{group}/{service}} (a template's {@code each} list, shown
     * on the card), and {@code groupBinding}, each of those to its {@code environment}, {@code group}, {@code service}
     * and {@code namespace} ({@code {domain}-{env}-{service}}), for the skeleton that renders
     * {@code rbac/groups/{env}/{group}/{service}.yaml}. Every part is a DNS-1123 label checked before.
     */
    private static void putBindings(String domain, List<String[]> bindings, Map<String, Object> platform) {
        List<String> keys = new ArrayList<>();
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (String[] b : bindings) {
            String key = b[0] + "/" + b[1] + "/" + b[2];
            keys.add(key);
            byKey.put(key, Map.of("environment", b[0], "group", b[1], "service", b[2], "namespace", domain + "-" + b[0] + "-" + b[2]));
        }
        platform.put("groupBindings", keys);
        platform.put("groupBinding", byKey);
    }

    private Optional<Violation> resourceType(Parameter p, String value, Map<String, Object> platform) {
        ResourceKinds.ResourceKind kind = conventions.resourceKinds().find(value).orElse(null);
        if (kind == null) {
            return Optional.of(Violation.ofParameter(p.name(), "resource-type", p.name() + " " + Names.quote(value)
                    + " is not a resource type; use one of " + conventions.resourceKinds().types()));
        }
        platform.put("resource", Map.of("type", kind.type(), "segment", kind.segment(), "apiVersion", kind.apiVersion(),
                "kind", kind.kind(), "mode", kind.mode().name().toLowerCase(Locale.ROOT)));
        return Optional.empty();
    }

    /**
     * The name of an object in a service namespace: a DNS-1123 label that makes {@code {service}-{name}} (a
     * SealedSecret) or {@code {service}-{kind}-{name}} (a claim) a label too (CONVENTIONS.md, the semantic key).
     */
    private Optional<Violation> objectName(Parameter p, String value, Map<String, Object> values, ParameterSchema schema,
                                           Map<String, Object> platform) {
        Optional<Violation> name = conventions.checkName(p.name(), value, Conventions.NameRole.LABEL, null);
        if (name.isPresent()) {
            return name;
        }
        String service = text(values, byConvention(schema, "known-service"));
        String type = text(values, byConvention(schema, "resource-type"));
        String segment = type == null ? null : conventions.resourceKinds().find(type).map(ResourceKinds.ResourceKind::segment).orElse(null);
        String full = (service == null ? "" : service + "-") + (segment == null ? "" : segment + "-") + value;
        if (full.length() > 63) {
            return Optional.of(Violation.ofParameter(p.name(), "name-length", p.name() + " " + Names.quote(value)
                    + " makes the object name " + full + " " + full.length() + " characters long, more than 63; use at most "
                    + (value.length() - (full.length() - 63)) + " characters"));
        }
        platform.put("objectName", full);
        return Optional.empty();
    }

    /** A Sealed Secrets scope as kubeseal's {@code --scope} names it ({@link Scope#parse}). */
    private static Optional<Violation> secretScope(Parameter p, String value) {
        try {
            Scope.parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(Violation.ofParameter(p.name(), "scope", p.name() + ": " + e.getMessage()));
        }
    }

    private Optional<Violation> promotionTarget(Parameter p, String value, Map<String, Object> platform) {
        Optional<Violation> env = conventions.checkEnvironment(p.name(), value);
        if (env.isPresent()) {
            return env;
        }
        int index = conventions.environments().indexOf(value);
        if (index == 0) {
            return Optional.of(Violation.ofParameter(p.name(), "promotion-order", p.name() + " " + Names.quote(value)
                    + " is the first environment, where new revisions land; promote to one of "
                    + conventions.environments().subList(1, conventions.environments().size())));
        }
        platform.put("environment", value);
        platform.put("fromEnvironment", conventions.environments().get(index - 1));
        platform.put("approvalRequired", !conventions.automatedSyncEnvironments().contains(value));
        return Optional.empty();
    }

    private Optional<Violation> prodKey(Parameter p, String value, PlatformCatalog catalog, Map<String, Object> platform) {
        String prod = conventions.productionEnvironment();
        var key = Names.isDnsLabel(value) ? conventions.parseKey(value) : Optional.<SemanticKey>empty();
        if (key.isEmpty()) {
            return Optional.of(Violation.ofParameter(p.name(), "semantic-key", p.name() + " " + Names.quote(value)
                    + " is not a key {domain}-{env}-{service}, e.g. payments-" + prod + "-api"));
        }
        String domain = key.get().domain();
        String env = key.get().env();
        String service = key.get().service();
        if (!env.equals(prod)) {
            return Optional.of(Violation.ofParameter(p.name(), "prod-key", p.name() + " " + Names.quote(value)
                    + " is a " + env + " key; elevation is for " + prod + " only (developers already have access to "
                    + env + "): use " + domain + "-" + prod + "-" + service));
        }
        PlatformCatalog.ServiceEntry entry = catalog.service(service).orElse(null);
        if (entry == null || !entry.domain().equals(domain)) {
            return Optional.of(Violation.ofParameter(p.name(), "unknown-service", p.name() + " " + Names.quote(value)
                    + " names no known service: the catalog has no service " + Names.quote(service) + " in domain "
                    + Names.quote(domain)));
        }
        platform.put("domain", domain);
        platform.put("environment", env);
        platform.put("service", service);
        platform.put("system", entry.system());
        platform.put("owner", entry.owner());
        platform.put("namespace", value);
        return Optional.empty();
    }

    private Optional<Violation> duration(Parameter p, String value, String role, Map<String, Object> platform) {
        Duration d = AccessPolicy.parseDuration(value).orElse(null);
        if (d == null) {
            return Optional.of(Violation.ofParameter(p.name(), "duration", p.name() + " " + Names.quote(value)
                    + " is not a duration; write it like 30m, 2h or 1h30m"));
        }
        if (d.compareTo(AccessPolicy.MIN_DURATION) < 0) {
            return Optional.of(Violation.ofParameter(p.name(), "duration", p.name() + " " + value + " is shorter than "
                    + Times.duration(AccessPolicy.MIN_DURATION)));
        }
        AccessPolicy.Role r = role == null ? null : access.role(role).orElse(null);
        if (r != null && d.compareTo(r.max()) > 0) {
            return Optional.of(Violation.ofParameter(p.name(), "max-duration", p.name() + " " + value + " is longer than the "
                    + Times.duration(r.max()) + " allowed for " + r.name() + "; ask for " + Times.duration(r.max())
                    + " or less, and extend it when the reminder comes"));
        }
        platform.put("duration", Times.duration(d));
        return Optional.empty();
    }

    private Optional<Violation> checkText(Parameter p, String value) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of(Violation.ofParameter(p.name(), "single-line", p.name() + " " + Names.quote(value)
                        + " contains a line break or control character; use one line of text"));
            }
            // a lone surrogate, U+FFFE and U+FFFF are not printable in YAML (YAML 1.1, "c-printable")
            if (Character.isSurrogate((char) c) || c == 0xFFFE || c == 0xFFFF) {
                return Optional.of(Violation.ofParameter(p.name(), "printable", p.name() + " contains the character U+"
                        + String.format("%04X", c) + ", which YAML cannot hold; remove it"));
            }
            i += Character.charCount(c);
        }
        if (value.length() > MAX_TEXT) {
            return Optional.of(Violation.ofParameter(p.name(), "max-length", p.name() + " is " + value.length()
                    + " characters, more than " + MAX_TEXT));
        }
        return Optional.empty();
    }

    private static Optional<Violation> taken(Parameter p, String value, Set<String> existing, String what, String where) {
        if (!existing.contains(value)) {
            return Optional.empty();
        }
        return Optional.of(Violation.ofParameter(p.name(), what + "-exists", p.name() + " " + Names.quote(value)
                + ": the " + what + " exists already (" + where + "); choose another name"));
    }

    private static Optional<Violation> known(Parameter p, String value, Set<String> known, String what, String folder) {
        if (!p.picksFromCatalog() || known.contains(value)) {
            return Optional.empty();
        }
        String options = known.isEmpty() ? "none is known yet" : "known: " + String.join(", ", known);
        return Optional.of(Violation.ofParameter(p.name(), "unknown-" + what, p.name() + " " + Names.quote(value)
                + " is not a known " + what + " (" + options + "); a " + what + " is known once a domain's GitOps repository "
                + "has it in " + folder));
    }

    /**
     * The values of an array parameter: the list {@link ParameterSchema#withDefaults} made of a comma-separated text,
     * or the one value given otherwise (a caller that passes a plain string).
     */
    private static List<String> values(Object raw) {
        return raw instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(raw));
    }

    private static String byConvention(ParameterSchema schema, String convention) {
        return schema.parameters().stream().filter(p -> convention.equals(p.convention())).map(Parameter::name)
                .findFirst().orElse(null);
    }

    private static String text(Map<String, Object> values, String name) {
        Object v = name == null ? null : values.get(name);
        return v == null ? null : String.valueOf(v);
    }
}
