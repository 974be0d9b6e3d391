--[[ decodeJson: a record's JSON decoded. cjson refuses the escaped lone surrogates JSON.stringify writes; the scripts
  read only sids, URLs and dates from records, so such text is replaced before a second try. ]]
local function decodeJson(json)
  local readable, value = pcall(cjson.decode, json)
  return readable and value or cjson.decode((string.gsub(json, '\\u[dD][89a-fA-F]%x%x', '\\ufffd')))
end
