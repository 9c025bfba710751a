#include "cli/main.h"

#include <cstdio>

namespace sanso::cli {

int run(int, char**) {
  std::fputs("sanso: not built yet\n", stderr);
  return 3;
}

}  // namespace sanso::cli
