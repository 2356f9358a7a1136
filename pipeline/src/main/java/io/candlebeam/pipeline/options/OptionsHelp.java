package io.candlebeam.pipeline.options;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A command's {@code --help}: exactly the flags its options interfaces declare (candlebeam's own,
 * not Beam's internals, nor the {@code @Hidden} ones the launcher sets), each with its type, its real default and its description, in Beam's
 * layout ({@code --name=<Type>}, then {@code Default: x}, then the text). One source of truth: the
 * annotations on the getters.
 */
public final class OptionsHelp {
  /** One flag: name without dashes, type, default as text (null: none), description. */
  public record Flag(String name, String type, String defaultValue, String description) {}

  private OptionsHelp() {}

  /** The flags {@code options} and its super-interfaces in candlebeam's packages declare. */
  public static Map<String, Flag> flags(Class<? extends PipelineOptions> options) {
    Map<String, Flag> flags = new TreeMap<>();
    for (Class<?> iface : ownInterfaces(options)) {
      for (Method m : iface.getDeclaredMethods()) {
        String name = property(m);
        if (name != null && !m.isAnnotationPresent(org.apache.beam.sdk.options.Hidden.class)) {
          Description d = m.getAnnotation(Description.class);
          flags.put(name, new Flag(name, m.getReturnType().getSimpleName(), defaultOf(m),
              d == null ? "" : d.value()));
        }
      }
    }
    return flags;
  }

  /** The help text of {@code flags}, one block per flag, sorted by name. */
  public static String render(Map<String, Flag> flags) {
    StringBuilder out = new StringBuilder();
    for (Flag f : new TreeMap<>(flags).values()) {
      out.append("  --").append(f.name()).append("=<").append(f.type()).append(">\n");
      if (f.defaultValue() != null) {
        out.append("    Default: ").append(f.defaultValue()).append('\n');
      }
      if (!f.description().isEmpty()) {
        out.append("    ").append(f.description()).append('\n');
      }
    }
    return out.toString();
  }

  private static Set<Class<?>> ownInterfaces(Class<?> options) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(options);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (c.getName().startsWith("io.candlebeam.") && seen.add(c)) {
        todo.addAll(java.util.List.of(c.getInterfaces()));
      }
    }
    return seen;
  }

  private static String property(Method m) {
    if (m.getParameterCount() != 0 || m.isDefault()) {
      return null;
    }
    String n = m.getName();
    String rest = n.startsWith("get") ? n.substring(3) : n.startsWith("is") ? n.substring(2) : null;
    return rest == null || rest.isEmpty() ? null
        : Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  /** The value of the method's {@code @Default.X} annotation as text, or null. */
  private static String defaultOf(Method m) {
    for (Annotation a : m.getAnnotations()) {
      if (a.annotationType().getEnclosingClass() == Default.class) {
        if (a instanceof Default.InstanceFactory) {
          return "(computed)";
        }
        try {
          Object v = a.annotationType().getMethod("value").invoke(a);
          return v instanceof Class<?> c ? c.getSimpleName() : String.valueOf(v);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
  }
}
