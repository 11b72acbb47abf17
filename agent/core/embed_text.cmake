# Writes OUT, a C file defining `const char NAME[]` with the contents of IN.
# Usage: cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed_text.cmake
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\n" "\\n\"\n\t\"" text "${text}")
file(WRITE "${OUT}.tmp" "/* Generated from ${IN}; do not edit. */\nconst char ${NAME}[] =\n\t\"${text}\";\n")
file(RENAME "${OUT}.tmp" "${OUT}")
