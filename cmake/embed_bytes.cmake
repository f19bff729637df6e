# c_byte_array(VAR FILE): sets VAR to a C initialiser with the bytes of FILE
# and a closing NUL, "{0x7b,...,0x00}", for the embed_*.cmake scripts.
# Bytes rather than a string literal: no escaping, and no limit on the
# length of a literal.
function(c_byte_array var file)
  file(READ ${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  set(${var} "{${hex}0x00}" PARENT_SCOPE)
endfunction()
