// sanso: verifies the three-tier separation (三層の対策) of a municipal network.
#include "cli/main.h"

int main(int argc, char** argv) { return sanso::cli::run(argc, argv); }
